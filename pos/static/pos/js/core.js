// CafePOS terminal: what every POS page shares — the page's config, DOM and money helpers, dialogs, an
// on-screen keypad, a tiny event bus, and the service worker that keeps the app usable offline.
// Money is always an integer of minor units (350 = 3.50 EUR); it becomes text only when shown.
(function () {
  "use strict";

  var UI = window.CafePOSUI; // cafepos/ui.js
  var config = JSON.parse(document.getElementById("pos-config").textContent);
  var POS = (window.CafePOS = { config: config });
  document.documentElement.classList.add("js");

  // -- DOM ---------------------------------------------------------------------------------------------

  POS.$ = function (selector, root) { return (root || document).querySelector(selector); };
  POS.$$ = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };

  // An element with a class and text (text is always set as text, never parsed as HTML).
  POS.el = UI.el;

  POS.button = function (className, text, data) {
    var node = POS.el("button", className, text);
    node.type = "button";
    Object.keys(data || {}).forEach(function (name) { node.setAttribute("data-" + name, String(data[name])); });
    return node;
  };

  // -- events ------------------------------------------------------------------------------------------

  var listeners = {};
  POS.on = function (name, handler) { (listeners[name] = listeners[name] || []).push(handler); };
  POS.emit = function (name, detail) {
    (listeners[name] || []).forEach(function (handler) { handler(detail); });
  };

  // -- money -------------------------------------------------------------------------------------------

  // Printed and read as the location's locale writes it (cafepos/static/cafepos/money_format.js, fed by the
  // server's Babel spec in config.money): "1.234,50 €" in German, and a cashier types "4,50".
  var places = config.location.places;
  var unit = Math.pow(10, places);
  var money = window.CafePOSMoney.formatter(config.money);

  POS.money = money.format;
  POS.signedMoney = money.signed; // a difference: "−€0.87" with a true minus sign
  POS.deduction = money.deduction; // what is taken off: 87 → "−€0.87", 0 → "€0.00"

  // "12,5", "12.50" or "1.234,50" → minor units; null when it is not an amount in this currency or above the cap.
  POS.parseMoney = function (text) {
    var read = money.parse(text);
    return read.value !== undefined && read.value <= config.location.money_max ? read.value : null;
  };

  // "5.50" → "5,5": a tax rate as the locale writes it.
  POS.rate = money.rate;

  // 1250 → "12,50" (for editable fields: the locale's decimal symbol, no grouping, no symbol).
  POS.moneyText = money.editText;

  // An example amount for a hint: "100,00".
  POS.moneyExample = function (major) { return money.editText(major * unit); };
  POS.$$("[data-money-placeholder]").forEach(function (input) {
    input.placeholder = POS.moneyExample(Number(input.getAttribute("data-money-placeholder")));
  });

  // Dates and times in the location's zone, as the locale writes them (cafepos/static/cafepos/date_format.js).
  POS.dates = window.CafePOSDates.formatter(config.dates);

  // -- ids ---------------------------------------------------------------------------------------------

  POS.uuid = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  };

  // -- feedback ----------------------------------------------------------------------------------------

  POS.toast = UI.toaster(POS.$("[data-toast]"), 4000);

  POS.openDialog = function (dialog) {
    if (!dialog.open) dialog.showModal();
    var first = POS.$("[autofocus]", dialog);
    if (first) first.focus();
  };
  POS.closeDialog = function (dialog) { if (dialog.open) dialog.close(); };

  // The keyboard in a dialog: Escape closes it (the browser's own, as Cancel does) and Enter in one of its fields
  // presses its action (Add, Apply, Charge, Void…: the last button of its actions, after Cancel) instead of
  // submitting the form, which would only close it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing) return;
    var field = event.target.closest && event.target.closest("dialog[open] input");
    if (!field || /^(button|checkbox|radio|submit)$/.test(field.type)) return;
    var primary = POS.$$(".sheet-actions > button:last-child", field.closest("dialog")).filter(function (button) {
      return !button.disabled && button.offsetParent !== null && !button.matches("[data-dialog-close], [value=close]");
    })[0];
    event.preventDefault();
    if (primary) primary.click();
  });

  // A digit pad writing into `input` (for PINs and amounts); the field still accepts a keyboard.
  POS.keypad = function (input, options) {
    var pad = POS.el("div", "keypad keypad-small");
    var keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", options && options.decimal ? config.money.decimal : "C", "0", "⌫"];
    keys.forEach(function (key) {
      var button = POS.button("key", key, { key: key });
      if (key === "⌫") button.setAttribute("aria-label", gettext("Delete last digit"));
      if (key === "C") button.setAttribute("aria-label", gettext("Clear"));
      pad.appendChild(button);
    });
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key) return;
      var value = key.getAttribute("data-key");
      if (value === "C") input.value = "";
      else if (value === "⌫") input.value = input.value.slice(0, -1);
      else if (!input.maxLength || input.maxLength < 0 || input.value.length < input.maxLength) input.value += value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    return pad;
  };

  // A dialog's alert box (`role="alert"`) says `text`, or hides when there is none.
  POS.showAlert = function (box, text) {
    box.textContent = text || "";
    box.hidden = !text;
  };

  // -- a manager's approval ----------------------------------------------------------------------------

  // The signed-in staff member approves what needs a manager themself (MANAGER or OWNER; the server decides
  // again, and never counts a delegated caller's own role).
  POS.isManager = function () { return config.manager_roles.indexOf(config.staff.role) >= 0; };

  // The manager-PIN fieldset of a dialog (pos/templates/pos/_manager_approval.html, used by the discount, void and
  // payment dialogs) with its keypad wired. `read()` is the API's {manager_id, pin}, or null until a manager is
  // chosen and a PIN of 4 to 6 digits typed.
  POS.approval = function (root) {
    var box = POS.$("[data-approval]", root);
    var manager = POS.$("[data-approval-manager]", root);
    var pin = POS.$("[data-approval-pin]", root);
    POS.$("[data-approval-keypad]", root).appendChild(POS.keypad(pin));
    return {
      shown: function () { return !box.hidden; },
      show: function (visible) { box.hidden = !visible; },
      reset: function (managerId) {
        manager.value = managerId ? String(managerId) : "";
        pin.value = "";
      },
      clearPin: function () { pin.value = ""; },
      read: function () {
        var id = Number(manager.value);
        return id && /^[0-9]{4,6}$/.test(pin.value) ? { manager_id: id, pin: pin.value } : null;
      },
    };
  };

  POS.orderLabel = function (order, tables) {
    var label = UI.orderTypeName(order.type);
    if (order.table_id) {
      var table = (tables || config.tables || []).find(function (t) { return t.id === order.table_id; });
      label += " · " + interpolate(gettext("Table %(label)s"), { label: table ? table.label : order.table_id }, true);
    }
    return label;
  };

  POS.url = function (name, id) { return config.urls[name].replace("/0/", "/" + id + "/"); };

  // -- storage the browser keeps -----------------------------------------------------------------------

  // The outbox lives in IndexedDB, which the browser may clear when the device runs short of space unless the
  // site's storage is persistent: a paired terminal asks for it on every page (granted, it stays granted; the
  // browser decides without asking the cashier, e.g. Chromium for an installed app). Resolves true, false, or
  // null where the browser cannot say.
  POS.storagePersisted = navigator.storage && navigator.storage.persist
    ? navigator.storage.persist().catch(function () { return null; })
    : Promise.resolve(null);

  // -- the installable app -----------------------------------------------------------------------------

  // Signing out forgets the cached pages first: offline, nobody opens the register as the last staff member.
  var switchForm = POS.$("[data-switch-staff]");
  switchForm.addEventListener("submit", function (event) {
    if (!window.caches) return;
    event.preventDefault();
    var pages = ["register", "orders", "floor", "shift", "status"].map(function (name) { return config.urls[name]; });
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("cafepos-pos-") === 0; }).map(function (name) {
        return caches.open(name).then(function (cache) { return Promise.all(pages.map(function (page) { return cache.delete(page); })); });
      }));
    }).catch(function () {}).then(function () { switchForm.submit(); });
  });

  // The service worker caches the shell, the assets and the last menu so the register opens without a server.
  // `data-offline-ready` tells anyone watching (and the tests) that this page is now served by it.
  if ("serviceWorker" in navigator) {
    var markReady = function () {
      if (navigator.serviceWorker.controller) document.documentElement.setAttribute("data-offline-ready", "yes");
    };
    navigator.serviceWorker.addEventListener("controllerchange", markReady);
    navigator.serviceWorker.register(config.urls.sw, { scope: config.urls.register }).then(markReady, function () {});
    markReady();
  }
})();
