// CafePOS terminal: the outbox. Every order, added items and payment is first written to IndexedDB, then sent
// oldest first, each with the Idempotency-Key it was given when it was taken, so it happens exactly once
// however often it is retried (lost answers, reloads, two tabs). No answer → it waits ("offline — N
// waiting") and is retried; a refusal (e.g. an item deleted meanwhile) sets it aside for the user to fix,
// never dropped. Each is sent as the staff member who took it (X-Staff-Id), even after their session ended.
//
// Entries: {id, kind: "order"|"items"|"pay", key, staff_id, staff_name, created_at, body, label, total,
//           order_id?, order_key? (a pay entry for an order still in the outbox), cart?, error?}
(function () {
  "use strict";

  var POS = window.CafePOS;
  var SENT_KEY = "cafepos-sent-" + POS.config.terminal.id; // order entry key → {id, number}, for later payments
  var SENT_KEPT = 100;
  var LAST_SYNC_KEY = "cafepos-last-sync-" + POS.config.terminal.id; // when an entry last reached the server
  var PROBE_TIMEOUT_MS = 3000;
  var RETRY_MAX_MS = 5000;

  var pending = null; // the next drain, once the running one ends
  var chain = Promise.resolve();
  var retryTimer = null;
  var attempts = 0;
  var online = navigator.onLine !== false;
  var results = {}; // key → what the server answered, for submit()
  var counts = { waiting: 0, refused: 0 };

  function sentOrders() {
    try {
      return JSON.parse(window.localStorage.getItem(SENT_KEY) || "{}");
    } catch (error) {
      return {};
    }
  }

  // A manager's PIN typed for an entry (its discount's or tip's approval) is kept in this page's memory only,
  // never in IndexedDB: the stored body has the approval without its PIN and gets the PIN back when this page
  // sends it. After a reload the server refuses such an entry and it is set aside to be approved again.
  var PIN_PLACES = [["approval"], ["discount", "approval"]];
  var pins = {}; // entry key → {index in PIN_PLACES: PIN}

  function approvalAt(body, path) {
    return path.reduce(function (node, name) { return node && node[name]; }, body);
  }

  function keepPinsInMemory(entry) {
    var kept = {};
    PIN_PLACES.forEach(function (path, index) {
      var approval = approvalAt(entry.body, path);
      if (approval && approval.pin) {
        kept[index] = approval.pin;
        delete approval.pin;
      }
    });
    if (Object.keys(kept).length) pins[entry.key] = kept;
  }

  function bodyToSend(entry) {
    var kept = pins[entry.key];
    if (!kept) return entry.body;
    var body = JSON.parse(JSON.stringify(entry.body));
    Object.keys(kept).forEach(function (index) {
      var approval = approvalAt(body, PIN_PLACES[index]);
      if (approval) approval.pin = kept[index];
    });
    return body;
  }

  function rememberSent(key, order) {
    var sent = sentOrders();
    sent[key] = { id: order.id, number: order.number, at: Date.now() };
    var keys = Object.keys(sent).sort(function (a, b) { return sent[b].at - sent[a].at; });
    keys.slice(SENT_KEPT).forEach(function (old) { delete sent[old]; });
    window.localStorage.setItem(SENT_KEY, JSON.stringify(sent));
  }

  // -- sending one entry -------------------------------------------------------------------------------

  function send(entry, orderId) {
    var options = { key: entry.key, staffId: entry.staff_id };
    var body = bodyToSend(entry);
    if (entry.kind === "order") return POS.api.post("/api/v1/orders/", body, options);
    if (entry.kind === "items") return POS.api.post("/api/v1/orders/" + orderId + "/items/", body, options);
    return POS.api.post("/api/v1/orders/" + orderId + "/payments/", body, options);
  }

  function orderIdOf(entry, entries) {
    if (entry.order_id) return entry.order_id;
    var sent = sentOrders()[entry.order_key];
    if (sent) return sent.id;
    var waitingFor = entries.some(function (other) { return other.key === entry.order_key; });
    return waitingFor ? null : undefined; // null: its order is still in the outbox; undefined: it is gone
  }

  function refuse(entry, err) {
    entry.error = { code: err.code, message: err.message, fields: err.fields, status: err.status };
    results[entry.key] = { status: "refused", error: entry.error, entry: entry };
    return POS.store.put(entry).then(function () { POS.emit("outbox.refused", entry); });
  }

  function drainOnce() {
    return POS.store.all().then(function (entries) {
      var index = 0;
      function next() {
        var entry = entries[index++];
        if (!entry) return null;
        if (entry.error) return next();
        var orderId = entry.kind === "order" ? 0 : orderIdOf(entry, entries);
        if (orderId === null) return next(); // waits behind its order, which is set aside to be fixed
        if (orderId === undefined) {
          return refuse(entry, { code: "outbox.order_missing", message: gettext("Its order was discarded."), status: 0 }).then(next);
        }
        return send(entry, orderId).then(
          function (answer) {
            attempts = 0;
            var order = entry.kind === "pay" ? answer.order : answer;
            if (entry.kind === "order") rememberSent(entry.key, order);
            window.localStorage.setItem(LAST_SYNC_KEY, new Date().toISOString());
            delete pins[entry.key];
            results[entry.key] = { status: "sent", order: order, payment: answer.payment, entry: entry };
            return POS.store.remove(entry.id).then(function () {
              POS.emit("outbox.sent", results[entry.key]);
              return next();
            });
          },
          function (err) {
            if (POS.api.isTransient(err)) {
              scheduleRetry(err.retryAfter * 1000);
              return null; // oldest first: nothing later goes before this one
            }
            return refuse(entry, err).then(next);
          }
        );
      }
      return next();
    });
  }

  function drain() {
    var locked = function () { return drainOnce(); };
    var run = navigator.locks ? navigator.locks.request("cafepos-outbox", locked) : locked();
    return run.then(refresh, function (error) {
      refresh();
      throw error;
    });
  }

  // Start a drain (or join the one queued after the running drain); resolves when it has finished.
  function run() {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    if (pending) return pending;
    pending = chain.then(function () {
      pending = null;
      return drain();
    });
    chain = pending.catch(function () {});
    return pending;
  }

  function scheduleRetry(atLeastMs) {
    attempts += 1;
    var delay = Math.max(atLeastMs || 0, Math.min(RETRY_MAX_MS, 500 * Math.pow(2, attempts)));
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(run, delay);
  }

  // -- what the pages call -----------------------------------------------------------------------------

  // Write an entry to the outbox (or rewrite a fixed one in its place) and try to send it after anything
  // older; `onStored` runs once it is safely stored. Resolves with {status: "sent", order, payment?} |
  // {status: "queued", entry} | {status: "refused", error, entry}.
  function submit(entry, onStored) {
    entry.staff_id = entry.staff_id || POS.config.staff.id;
    entry.staff_name = entry.staff_name || POS.config.staff.name;
    entry.created_at = entry.created_at || new Date().toISOString();
    entry.error = null;
    delete results[entry.key];
    keepPinsInMemory(entry);
    var write = entry.id ? POS.store.put(entry) : POS.store.add(entry);
    return write.then(function () {
      if (onStored) onStored();
      refresh();
      return run().catch(function () {}).then(function () {
        return results[entry.key] || { status: "queued", entry: entry };
      });
    });
  }

  // A payment: for an order on the server (orderId) or one still in the outbox (its entry's key).
  function pay(target, body) {
    var sent = target.orderKey ? sentOrders()[target.orderKey] : null;
    return submit({
      kind: "pay",
      key: POS.uuid(),
      order_id: target.orderId || (sent && sent.id) || null,
      order_key: target.orderKey || null,
      label: target.label,
      total: body.amount + (body.tip || 0),
      body: body,
    });
  }

  function retry(entry) {
    entry.error = null;
    return POS.store.put(entry).then(run);
  }

  // Remove an entry the user gave up on (with the payments waiting for it).
  function discard(entry) {
    return POS.store.all().then(function (entries) {
      var gone = entries.filter(function (other) { return other.id === entry.id || other.order_key === entry.key; });
      return Promise.all(gone.map(function (other) { return POS.store.remove(other.id); }));
    }).then(refresh);
  }

  // -- the connection pill and the outbox dialog --------------------------------------------------------

  var pill = POS.$("[data-connection]");
  var connectionStatus = POS.$("[data-connection-status]"); // role=status: a screen reader hears the changes
  var announcedState = "online";
  var dialog = POS.$("[data-queue-dialog]");
  var STATE_NEWS = {
    online: gettext("Back online."),
    offline: gettext("Offline: orders are kept on this terminal and sent when the network returns."),
    refused: gettext("The server refused an order: open the queue to fix it."),
  };

  function showPill() {
    var text;
    var waiting = { count: counts.waiting };
    if (counts.waiting && online) text = interpolate(ngettext("Sending %(count)s…", "Sending %(count)s…", counts.waiting), waiting, true);
    else if (counts.waiting) text = interpolate(ngettext("offline — %(count)s waiting", "offline — %(count)s waiting", counts.waiting), waiting, true);
    else text = online ? gettext("Online") : pgettext("connection", "Offline");
    if (counts.refused) {
      text += " · " + interpolate(ngettext("%(count)s to fix", "%(count)s to fix", counts.refused), { count: counts.refused }, true);
    }
    pill.textContent = text;
    var state = counts.refused ? "refused" : online ? "online" : "offline";
    pill.setAttribute("data-state", state);
    if (state !== announcedState) connectionStatus.textContent = STATE_NEWS[state];
    announcedState = state;
    document.documentElement.setAttribute("data-outbox", String(counts.waiting));
  }

  function refresh() {
    return POS.store.all().then(function (entries) {
      // To fix: the refused, and the payments waiting behind a refused order; the rest waits to be sent.
      var refused = entries.filter(function (entry) { return entry.error; }).map(function (entry) { return entry.key; });
      counts.refused = entries.filter(function (entry) {
        return entry.error || refused.indexOf(entry.order_key) >= 0;
      }).length;
      counts.waiting = entries.length - counts.refused;
      showPill();
      if (dialog.open) renderDialog(entries);
      POS.emit("outbox.changed", entries);
      if (counts.waiting && !retryTimer && !pending) scheduleRetry();
      return entries;
    });
  }

  function entryTitle(entry) {
    var itemsFor = entry.label ? interpolate(gettext("Items for %(order)s"), { order: entry.label }, true) : gettext("Items for an order");
    var what = { order: gettext("Order"), items: itemsFor, pay: gettext("Payment") }[entry.kind];
    if (entry.kind === "order") what += " · " + entry.label;
    if (entry.kind === "pay") what += " · " + (entry.label || "");
    return what + " · " + POS.money(entry.total) + " · " + entry.staff_name;
  }

  function renderDialog(entries) {
    var list = POS.$("[data-queue-list]", dialog);
    list.textContent = "";
    POS.$("[data-queue-summary]", dialog).textContent = entries.length
      ? gettext("Sent oldest first as soon as the server answers.")
      : gettext("Nothing is waiting: every order and payment reached the server.");
    entries.forEach(function (entry) {
      var item = POS.el("li", "queue-item" + (entry.error ? " is-refused" : ""));
      item.appendChild(POS.el("strong", null, entryTitle(entry)));
      item.appendChild(POS.el("span", "hint", POS.dates.time(entry.created_at)));
      if (entry.error) {
        item.appendChild(POS.el("p", "alert", interpolate(gettext("Refused: %(reason)s"), { reason: entry.error.message }, true)));
        var actions = POS.el("div", "queue-actions");
        if (entry.cart) actions.appendChild(POS.button("btn btn-primary", gettext("Fix"), { "queue-fix": entry.id }));
        else actions.appendChild(POS.button("btn btn-primary", gettext("Try again"), { "queue-retry": entry.id }));
        actions.appendChild(POS.button("btn btn-secondary", gettext("Discard"), { "queue-discard": entry.id }));
        item.appendChild(actions);
      } else {
        item.appendChild(POS.el("span", "chip", pgettext("outbox entry", "waiting")));
      }
      list.appendChild(item);
    });
  }

  pill.addEventListener("click", function () {
    POS.openDialog(dialog);
    refresh();
  });

  dialog.addEventListener("click", function (event) {
    var button = event.target.closest("[data-queue-fix],[data-queue-retry],[data-queue-discard]");
    if (!button) return;
    var id = Number(button.getAttribute("data-queue-fix") || button.getAttribute("data-queue-retry") ||
      button.getAttribute("data-queue-discard"));
    POS.store.get(id).then(function (entry) {
      if (!entry) return refresh();
      if (button.hasAttribute("data-queue-retry")) return retry(entry);
      if (button.hasAttribute("data-queue-discard")) {
        if (window.confirm(entry.kind === "pay" ? gettext("Discard this payment? It will not be sent.") : gettext("Discard this order? It will not be sent."))) {
          return discard(entry);
        }
        return null;
      }
      POS.closeDialog(dialog);
      POS.emit("outbox.fix", entry); // the register loads it into the cart; other pages go there
      if (POS.config.page !== "register") window.location.href = POS.config.urls.register + "?fix=" + entry.id;
      return null;
    });
  });

  POS.on("connection", function (up) {
    if (up === online) return;
    online = up;
    showPill();
    if (up && counts.waiting) run();
  });
  window.addEventListener("online", function () { run(); });

  // Is the server there? Asked when the live socket drops (and at each failed reconnect), so the pill turns
  // offline within seconds of the server going away, not at the next send; and now and then while offline.
  function probe() {
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, PROBE_TIMEOUT_MS);
    return fetch("/health", { cache: "no-store", signal: controller.signal }).then(
      function (response) { POS.emit("connection", response.ok); },
      function () { POS.emit("connection", false); }
    ).then(function () { window.clearTimeout(timer); });
  }
  POS.on("socket", function (state) { if (state === "closed") probe(); });
  window.setInterval(function () { if (!online && !counts.waiting) probe(); }, RETRY_MAX_MS);

  function lastSync() { return window.localStorage.getItem(LAST_SYNC_KEY); }

  POS.sync = { submit: submit, pay: pay, run: run, discard: discard, sentOrders: sentOrders, refresh: refresh, lastSync: lastSync };
  refresh().then(function (entries) { if (entries.length) run(); });
})();
