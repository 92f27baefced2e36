// CafePOS terminal: the register (/pos/). Categories and an item grid (sold-out items greyed out live) and a
// cart with quantities, notes, order type, table or customer, discount (a manager's PIN above the location's
// threshold) and tip (a manager's PIN above the location's max_tip_percent of the order's total before the
// tip). Totals are computed here at once and confirmed by the server's quote; "Send" puts the order in the
// outbox under the cart's own Idempotency-Key, so a second tap, a retry or a reload can never make a second
// order. Each dialog is its own script in register/ (loaded before this one), given the cart through
// `register` below.
(function () {
  "use strict";

  var POS = window.CafePOS;
  var config = POS.config;
  var $ = POS.$, el = POS.el;
  var UI = window.CafePOSUI; // cafepos/ui.js
  var QUOTE_DELAY_MS = 300;

  var menu = shownInTillLanguage(config.menu);
  var menuGeneration = 0;
  var categoryId = menu.categories.length ? menu.categories[0].id : null;
  var cart = restoreCart();
  var quote = null; // the server's quote of the cart as it was at `quotedVersion`
  var quoteProblem = null;
  var quoteTimer = null;
  var cartVersion = 0;
  var sending = false;
  var lastOrder = null; // {order} once sent, {entry} while it waits in the outbox

  var node = {
    categories: $("[data-categories]"),
    items: $("[data-items]"),
    lines: $("[data-cart-lines]"),
    empty: $("[data-cart-empty]"),
    totals: $("[data-totals]"),
    state: $("[data-totals-state]"),
    problem: $("[data-cart-problem]"),
    send: $("[data-send]"),
    adding: $("[data-adding]"),
    types: $("[data-order-type]"),
    tableButton: $("[data-table-button]"),
    customerButton: $("[data-customer-button]"),
    last: $("[data-last-order]"),
  };

  // -- the cart ----------------------------------------------------------------------------------------

  function newCart(fields) {
    return Object.assign({
      key: POS.uuid(), // the order's Idempotency-Key, fixed when the cart is started
      type: "TAKEAWAY",
      table_id: null,
      customer: { name: "", phone: "", email: "", address: "" },
      lines: [],
      discount: null,
      tip: 0,
      tip_approval: null, // {manager_id, pin} when a manager approved the tip (the PIN in memory only)
      tip_refused: false, // the server asked for a manager for this tip (payment.tip_too_large)
      adding_to: null, // {id, number, label, version}: these lines go to an existing order
      fixing: null, // the outbox entry id of a refused order being fixed
      refusal: null,
    }, fields || {});
  }

  function restoreCart() {
    var saved = POS.store.cartLoad();
    return saved && saved.key && Array.isArray(saved.lines) ? newCart(saved) : newCart();
  }

  // A copy of the cart to store on the device: a manager's PIN is never stored.
  function cartWithoutPins() {
    var copy = JSON.parse(JSON.stringify(cart));
    if (copy.discount && copy.discount.approval) delete copy.discount.approval.pin;
    if (copy.tip_approval) delete copy.tip_approval.pin;
    return copy;
  }

  function saveCart() {
    POS.store.cartSave(cartWithoutPins());
  }

  function cartChanged() {
    cartVersion += 1;
    quote = null;
    quoteProblem = null;
    saveCart();
    renderCart();
    window.clearTimeout(quoteTimer);
    if (cart.lines.length) quoteTimer = window.setTimeout(requestQuote, QUOTE_DELAY_MS);
  }

  function findItem(id) {
    for (var c = 0; c < menu.categories.length; c++) {
      var item = menu.categories[c].items.find(function (i) { return i.id === id; });
      if (item) return item;
    }
    return null;
  }

  function sameLine(line, itemId, modifierIds) {
    return line.menu_item_id === itemId && !line.note &&
      line.modifiers.map(function (m) { return m.id; }).sort().join() === modifierIds.slice().sort().join();
  }

  function addLine(item, modifiers) {
    var ids = modifiers.map(function (m) { return m.id; });
    var existing = cart.lines.find(function (line) { return sameLine(line, item.id, ids); });
    if (existing) {
      existing.quantity += 1;
    } else {
      cart.lines.push({
        uid: POS.uuid(),
        menu_item_id: item.id,
        name: item.name,
        unit_price: item.price,
        tax_rate: item.tax_rate,
        modifiers: modifiers.map(function (m) { return { id: m.id, name: m.name, price_delta: m.price_delta }; }),
        quantity: 1,
        note: "",
      });
    }
    lastOrder = null;
    cartChanged();
  }

  function localTotals() {
    return POS.pricing.totals(cart.lines, cart.adding_to ? null : cart.discount, cart.adding_to ? 0 : cart.tip,
      config.location.tax_mode);
  }

  function discountForServer(withApproval) {
    var d = cart.discount;
    if (!d) return null;
    var body = { reason: d.reason };
    if (d.percent) body.percent = d.percent;
    else body.amount = d.amount;
    if (withApproval && d.approval && d.approval.pin) body.approval = { manager_id: d.approval.manager_id, pin: d.approval.pin };
    return body;
  }

  function itemsForServer() {
    return cart.lines.map(function (line) {
      return {
        menu_item_id: line.menu_item_id,
        quantity: line.quantity,
        modifier_ids: line.modifiers.map(function (m) { return m.id; }),
        note: line.note,
      };
    });
  }

  function orderBody() {
    var body = { type: cart.type, items: itemsForServer() };
    if (cart.type === "DINE_IN") body.table_id = cart.table_id;
    if (cart.type === "DELIVERY") body.customer = cart.customer;
    var discount = discountForServer(true);
    if (discount) body.discount = discount;
    if (cart.tip) body.tip = cart.tip;
    if (tipAsked() && pinned(cart.tip_approval)) body.approval = { manager_id: cart.tip_approval.manager_id, pin: cart.tip_approval.pin };
    return body;
  }

  // Whether `discount` is above the location's approval threshold for the signed-in staff member.
  function discountNeedsApproval(discount) {
    if (!discount || POS.isManager()) return false;
    var threshold = POS.pricing.hundredths(config.location.discount_approval_percent);
    return POS.pricing.discountShare(localTotals().subtotal, discount) > threshold;
  }

  // Whether `tip` is above the location's max_tip_percent of what order_create compares it with: the order's
  // total before the tip (after the discount, with the tax when it is added on top). A manager approves it.
  function tipNeedsApproval(tip) {
    if (!tip || cart.adding_to || POS.isManager()) return false;
    var withoutTip = POS.pricing.totals(cart.lines, cart.discount, 0, config.location.tax_mode).total;
    return POS.pricing.tipAboveCap(tip, withoutTip, config.location.max_tip_percent);
  }

  // The cart's tip needs a manager: above the cap as the cart is now, or the server said so for this tip.
  function tipAsked() {
    return Boolean(cart.tip) && !cart.adding_to && (cart.tip_refused || tipNeedsApproval(cart.tip));
  }

  function pinned(approval) {
    return Boolean(approval && approval.pin);
  }

  // What a manager still has to approve before the order goes: "Discount", "Tip" (the dialog to open) or null.
  function unapproved() {
    if (discountNeedsApproval(cart.discount) && !pinned(cart.discount.approval)) return "Discount";
    if (tipAsked() && !pinned(cart.tip_approval)) return "Tip";
    return null;
  }

  // What the cart says while an approval is missing: [in the cart, when sending].
  var APPROVAL_MISSING = {
    Discount: [gettext("The discount needs a manager's approval: open Discount."), gettext("The discount needs a manager's approval.")],
    Tip: [gettext("The tip needs a manager's approval: open Tip."), gettext("The tip needs a manager's approval.")],
  };

  // -- the dialogs (register/*.js) ---------------------------------------------------------------------

  // What a dialog may do with the cart. `cart()` is the cart as it is now (a new one replaces it after Send).
  var register = {
    cart: function () { return cart; },
    changed: cartChanged,
    addLine: addLine,
    localTotals: localTotals,
    discountNeedsApproval: discountNeedsApproval,
    tipNeedsApproval: tipNeedsApproval,
  };
  var dialogs = {};
  Object.keys(POS.registerDialogs).forEach(function (name) { dialogs[name] = POS.registerDialogs[name](POS, register); });

  // -- the server's quote ------------------------------------------------------------------------------

  function requestQuote() {
    var version = cartVersion;
    var body = { type: cart.type, items: itemsForServer() };
    if (!cart.adding_to) {
      var discount = discountForServer(false);
      if (discount) body.discount = discount;
      if (cart.tip) body.tip = cart.tip;
    }
    POS.api.post("/api/v1/orders/quote/", body).then(
      function (answer) {
        if (version !== cartVersion) return;
        quote = answer;
        cart.refusal = null; // the server takes the cart as it is now
        renderTotals();
      },
      function (err) {
        if (version !== cartVersion || POS.api.isTransient(err)) return; // offline: the totals stay provisional
        quoteProblem = err;
        renderTotals();
      }
    );
  }

  // The till shows the menu in its language: the server's `display_name` / `display_description` (what it sends
  // back is ids, so the stored names are not needed here).
  function shownInTillLanguage(fresh) {
    function shown(node) {
      node.name = node.display_name || node.name;
      if ("display_description" in node) node.description = node.display_description;
      return node;
    }
    fresh.categories.forEach(function (category) {
      shown(category).items.forEach(function (item) {
        shown(item).modifier_groups.forEach(function (group) { shown(group).modifiers.forEach(shown); });
      });
    });
    return fresh;
  }

  // -- rendering ---------------------------------------------------------------------------------------

  function renderCategories() {
    node.categories.textContent = "";
    menu.categories.forEach(function (category) {
      var tab = POS.button("category", category.name, { category: category.id });
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", category.id === categoryId ? "true" : "false");
      node.categories.appendChild(tab);
    });
  }

  function renderItems() {
    var category = menu.categories.find(function (c) { return c.id === categoryId; }) || menu.categories[0];
    node.items.textContent = "";
    if (!category) {
      node.items.appendChild(el("p", "empty", gettext("No menu yet: add categories and items in the back office.")));
      return;
    }
    category.items.forEach(function (item) {
      var tile = POS.button("item" + (item.is_sold_out ? " is-sold-out" : ""), null, { item: item.id });
      tile.appendChild(el("span", "item-name", item.name));
      tile.appendChild(el("span", "item-price", POS.money(item.price)));
      if (item.is_sold_out) {
        tile.setAttribute("aria-disabled", "true");
        tile.appendChild(el("span", "item-flag", gettext("Sold out")));
      } else if (item.modifier_groups.length) {
        tile.appendChild(el("span", "item-more", gettext("Options")));
      }
      node.items.appendChild(tile);
    });
  }

  function renderLines() {
    node.lines.textContent = "";
    var problemLine = quoteProblem && /^items\.(\d+)/.exec(Object.keys(quoteProblem.fields)[0] || "");
    cart.lines.forEach(function (line, index) {
      var item = findItem(line.menu_item_id);
      var row = el("li", "line" + (problemLine && Number(problemLine[1]) === index ? " has-problem" : ""));
      row.setAttribute("data-line", line.uid);
      var main = POS.button("line-main", null, { "edit-line": line.uid });
      main.appendChild(el("span", "line-name", line.name));
      if (line.modifiers.length) {
        main.appendChild(el("span", "line-mods", line.modifiers.map(function (m) { return m.name; }).join(", ")));
      }
      if (line.note) main.appendChild(el("span", "line-note", line.note));
      if (item && item.is_sold_out) main.appendChild(el("span", "line-warning", gettext("Sold out")));
      row.appendChild(main);
      var qty = el("div", "qty");
      var less = POS.button("qty-btn", "−", { dec: line.uid });
      less.setAttribute("aria-label", interpolate(gettext("One less %(item)s"), { item: line.name }, true));
      var more = POS.button("qty-btn", "+", { inc: line.uid });
      more.setAttribute("aria-label", interpolate(gettext("One more %(item)s"), { item: line.name }, true));
      qty.appendChild(less);
      qty.appendChild(el("span", "qty-value", line.quantity));
      qty.appendChild(more);
      row.appendChild(qty);
      row.appendChild(el("span", "line-total", POS.money(POS.pricing.lineTotal(line))));
      node.lines.appendChild(row);
    });
    node.empty.hidden = cart.lines.length > 0;
  }

  function totalRow(label, amount, name) {
    var row = el("div", "totals-row" + (name === "total" ? " totals-grand" : ""));
    row.appendChild(el("dt", null, label));
    var value = el("dd", null, amount);
    value.setAttribute("data-total", name);
    row.appendChild(value);
    node.totals.appendChild(row);
  }

  function renderTotals() {
    var t = quote || localTotals();
    var inclusive = config.location.tax_mode === "INCLUSIVE";
    node.totals.textContent = "";
    totalRow(gettext("Subtotal"), POS.money(t.subtotal), "subtotal");
    if (t.discount_total) totalRow(gettext("Discount"), "−" + POS.money(t.discount_total), "discount");
    (t.taxes || []).forEach(function (tax) {
      totalRow(interpolate(inclusive ? gettext("Tax %(rate)s% incl.") : gettext("Tax %(rate)s%"), { rate: POS.rate(tax.rate) }, true), POS.money(tax.amount), "tax-" + tax.rate);
    });
    if (t.tip_total) totalRow(gettext("Tip"), POS.money(t.tip_total), "tip");
    totalRow(gettext("Total"), POS.money(t.total), "total");
    var confirmed = Boolean(quote);
    node.state.textContent = cart.lines.length ? (confirmed ? gettext("Confirmed by the server") : gettext("Provisional")) : "";
    node.state.setAttribute("data-state", confirmed ? "confirmed" : "provisional");
    var problem = cart.refusal || (quoteProblem && { message: quoteProblem.message });
    var waiting = unapproved();
    if (!problem && waiting) problem = { message: APPROVAL_MISSING[waiting][0] };
    node.problem.hidden = !problem;
    node.problem.textContent = problem ? problem.message : "";
  }

  function renderOrderContext() {
    var adding = Boolean(cart.adding_to);
    node.adding.hidden = !adding;
    if (adding) $("[data-adding-text]").textContent = "Adding to " + cart.adding_to.number + " · " + cart.adding_to.label;
    node.types.hidden = adding;
    POS.$$("[data-type]", node.types).forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-type") === cart.type ? "true" : "false");
    });
    node.tableButton.hidden = adding || cart.type !== "DINE_IN";
    var table = config.tables.find(function (t) { return t.id === cart.table_id; });
    node.tableButton.textContent = table ? interpolate(gettext("Table %(label)s · change"), { label: table.label }, true) : gettext("Choose a table");
    node.customerButton.hidden = adding || cart.type !== "DELIVERY";
    node.customerButton.textContent = cart.customer.name ? interpolate(gettext("Customer: %(name)s"), { name: cart.customer.name }, true) : gettext("Customer details");
    POS.$$("[data-order-only]").forEach(function (button) { button.hidden = adding; });
    node.send.textContent = adding ? gettext("Add to order") : cart.fixing ? gettext("Send again") : pgettext("order", "Send");
  }

  function renderCart() {
    renderOrderContext();
    renderLines();
    renderTotals();
  }

  function renderLast() {
    node.last.hidden = !lastOrder;
    if (!lastOrder) return;
    var text;
    if (lastOrder.order) text = interpolate(gettext("%(order)s sent · %(where)s · %(total)s"), { order: lastOrder.order.number, where: POS.orderLabel(lastOrder.order), total: POS.money(lastOrder.order.total) }, true);
    else text = interpolate(gettext("Saved on this terminal — sent when the server is back · %(where)s · %(total)s"), { where: lastOrder.entry.label, total: POS.money(lastOrder.entry.total) }, true);
    $("[data-last-text]").textContent = text;
    var receipt = $("[data-last-receipt]");
    receipt.hidden = !lastOrder.order;
    if (lastOrder.order) receipt.href = POS.url("receipt", lastOrder.order.id);
    $("[data-last-pay]").hidden = Boolean(lastOrder.order && !lastOrder.order.balance_due);
  }

  // -- sending -----------------------------------------------------------------------------------------

  function localProblem() {
    if (!cart.lines.length) return gettext("Add at least one item.");
    var soldOut = cart.lines.find(function (line) { var item = findItem(line.menu_item_id); return item && item.is_sold_out; });
    if (soldOut) return interpolate(gettext("%(item)s is sold out: remove it."), { item: soldOut.name }, true);
    if (cart.adding_to) return null;
    if (cart.type === "DINE_IN" && !cart.table_id) return gettext("Choose a table for a dine-in order.");
    if (cart.type === "DELIVERY" && !(cart.customer.name && cart.customer.phone && cart.customer.address)) {
      return gettext("A delivery needs the customer's name, phone and address.");
    }
    var waiting = unapproved();
    return waiting ? APPROVAL_MISSING[waiting][1] : null;
  }

  function entryForCart() {
    var label = cart.adding_to ? cart.adding_to.number : UI.orderTypeName(cart.type);
    if (!cart.adding_to && cart.type === "DINE_IN") {
      var table = config.tables.find(function (t) { return t.id === cart.table_id; });
      if (table) label += " · " + interpolate(gettext("Table %(label)s"), { label: table.label }, true);
    }
    var entry = { key: cart.key, label: label, total: (quote || localTotals()).total, cart: cartWithoutPins() };
    if (cart.adding_to) {
      entry.kind = "items";
      entry.order_id = cart.adding_to.id;
      entry.body = { items: itemsForServer(), version: cart.adding_to.version };
    } else {
      entry.kind = "order";
      entry.body = orderBody();
    }
    if (cart.fixing) entry.id = cart.fixing;
    return entry;
  }

  // The order's version as the server has it now (so adding items is not refused because the kitchen
  // moved the order meanwhile); the last one we knew when offline. Fixed before the first send.
  function freshVersion() {
    if (!cart.adding_to) return Promise.resolve();
    return POS.api.get("/api/v1/orders/" + cart.adding_to.id + "/").then(
      function (order) { cart.adding_to.version = order.version; },
      function () {}
    );
  }

  function send() {
    if (sending) return; // a second tap while the first is on its way
    var problem = localProblem();
    if (problem) {
      POS.toast(problem, "error");
      var dialog = unapproved();
      if (dialog === "Discount") dialogs.discount.open();
      else if (dialog === "Tip") dialogs.tip.open();
      return;
    }
    sending = true;
    node.send.disabled = true;
    var sentCart = cart;
    freshVersion()
      .then(function () {
        var entry = entryForCart();
        return POS.sync.submit(entry, function stored() {
          // In the outbox now: the cart starts afresh (with a new key) whatever the network does.
          cart = newCart({ type: sentCart.adding_to ? "TAKEAWAY" : sentCart.type });
          cartChanged();
        }).then(function (outcome) { return { outcome: outcome, entry: entry }; });
      })
      .then(function (result) {
        var outcome = result.outcome;
        if (outcome.status === "refused") {
          // Refused right away: back into the cart to fix. A new order leaves the outbox; a fixed one keeps
          // its place there (payments taken for it wait behind it).
          var kept = sentCart.fixing ? Promise.resolve() : POS.store.remove(outcome.entry.id);
          return kept.then(function () {
            cart = sentCart;
            cart.refusal = { message: outcome.error.message };
            if (outcome.error.code.indexOf("pin.") === 0) forgetPins(); // typed again for the next try
            cart.tip_refused = cart.tip_refused || outcome.error.code === "payment.tip_too_large";
            cartChanged();
            POS.sync.refresh();
            POS.toast(outcome.error.message, "error");
            if (outcome.error.code === "payment.tip_too_large") dialogs.tip.open();
          });
        }
        if (sentCart.adding_to && outcome.status === "sent") {
          window.location.href = config.urls.orders + "?order=" + sentCart.adding_to.id;
          return null;
        }
        lastOrder = outcome.status === "sent" ? { order: outcome.order } : { entry: result.entry };
        renderLast();
        POS.toast(outcome.status === "sent" ? interpolate(gettext("%(order)s sent to the kitchen"), { order: outcome.order.number }, true) : gettext("Saved offline: it will be sent when the server is back"));
        return null;
      })
      .catch(function (error) {
        POS.toast(interpolate(gettext("Could not save the order on this terminal: %(reason)s"), { reason: error.message }, true), "error");
      })
      .then(function () {
        sending = false;
        node.send.disabled = false;
      });
  }

  POS.on("outbox.sent", function (result) {
    if (lastOrder && lastOrder.entry && result.entry.key === lastOrder.entry.key) {
      lastOrder = { order: result.order };
      renderLast();
    } else if (lastOrder && lastOrder.order && result.order && result.order.id === lastOrder.order.id) {
      lastOrder = { order: result.order };
      renderLast();
    }
  });

  function forgetPins() {
    if (cart.discount && cart.discount.approval) cart.discount.approval.pin = "";
    if (cart.tip_approval) cart.tip_approval.pin = "";
  }

  // A refused order from the outbox, loaded back into the cart under its own key and outbox place.
  function fix(entry) {
    cart = newCart(entry.cart);
    cart.key = entry.key;
    cart.fixing = entry.id;
    cart.tip_refused = cart.tip_refused || entry.error.code === "payment.tip_too_large";
    cart.refusal = { message: interpolate(gettext("Refused: %(reason)s Fix it and send again."), { reason: entry.error.message }, true) };
    lastOrder = null;
    renderLast();
    cartChanged();
  }
  POS.on("outbox.fix", fix);

  // -- taps --------------------------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var target = event.target;
    var category = target.closest("[data-category]");
    var tile = target.closest("[data-item]");
    var type = target.closest("[data-type]");
    var line = target.closest("[data-edit-line],[data-inc],[data-dec]");
    if (category) {
      categoryId = Number(category.getAttribute("data-category"));
      renderCategories();
      renderItems();
    } else if (tile) {
      var item = findItem(Number(tile.getAttribute("data-item")));
      if (!item) return;
      if (item.is_sold_out) POS.toast(interpolate(gettext("%(item)s is sold out."), { item: item.name }, true), "error");
      else if (item.modifier_groups.some(function (g) { return g.modifiers.length; })) dialogs.modifiers.open(item);
      else addLine(item, []);
    } else if (type) {
      cart.type = type.getAttribute("data-type");
      if (cart.type !== "DINE_IN") cart.table_id = null;
      cartChanged();
      if (cart.type === "DINE_IN" && !cart.table_id) dialogs.table.open();
      if (cart.type === "DELIVERY" && !cart.customer.name) dialogs.customer.open();
    } else if (line) {
      var uid = line.getAttribute("data-edit-line") || line.getAttribute("data-inc") || line.getAttribute("data-dec");
      if (line.hasAttribute("data-edit-line")) return dialogs.line.open(uid);
      var changed = cart.lines.find(function (l) { return l.uid === uid; });
      changed.quantity += line.hasAttribute("data-inc") ? 1 : -1;
      if (changed.quantity < 1) cart.lines = cart.lines.filter(function (l) { return l !== changed; });
      cartChanged();
    } else if (target.closest("[data-send]")) {
      send();
    } else if (target.closest("[data-table-button]")) {
      dialogs.table.open();
    } else if (target.closest("[data-customer-button]")) {
      dialogs.customer.open();
    } else if (target.closest("[data-discount]")) {
      if (!cart.lines.length) POS.toast(gettext("Add items first."));
      else dialogs.discount.open();
    } else if (target.closest("[data-tip]")) {
      dialogs.tip.open();
    } else if (target.closest("[data-clear]") || target.closest("[data-adding-cancel]")) {
      clearCart();
    } else if (target.closest("[data-last-pay]")) {
      POS.payment.open(lastOrder.order ? { order: lastOrder.order } : { entry: lastOrder.entry });
    } else if (target.closest("[data-last-dismiss]")) {
      lastOrder = null;
      renderLast();
    }
    return null;
  });

  function clearCart() {
    if (cart.fixing) {
      if (!window.confirm(gettext("Discard the refused order? It will not be sent."))) return;
      POS.store.get(cart.fixing).then(function (entry) { if (entry) POS.sync.discard(entry); });
    }
    cart = newCart({ type: cart.adding_to ? "TAKEAWAY" : cart.type });
    cartChanged();
  }

  // -- live menu ---------------------------------------------------------------------------------------

  function setSoldOut(data, soldOut) {
    menuGeneration += 1;
    menu.categories.forEach(function (category) {
      category.items.forEach(function (item) {
        if (data.entity === "menu_item" && item.id === data.id) item.is_sold_out = soldOut;
        item.modifier_groups.forEach(function (group) {
          group.modifiers.forEach(function (m) { if (data.entity === "modifier" && m.id === data.id) m.is_sold_out = soldOut; });
        });
      });
    });
    renderItems();
    renderLines();
    dialogs.modifiers.refresh();
  }

  function reloadMenu() {
    var generation = menuGeneration;
    POS.api.get("/api/v1/menu/").then(function (fresh) {
      if (generation !== menuGeneration) return reloadMenu(); // a sold-out flip came in meanwhile
      menu = shownInTillLanguage(fresh);
      if (!menu.categories.some(function (c) { return c.id === categoryId; })) {
        categoryId = menu.categories.length ? menu.categories[0].id : null;
      }
      renderCategories();
      renderItems();
      renderLines();
      return null;
    }, function () {});
  }

  POS.on("ws:menu.item_sold_out", function (data) { setSoldOut(data, true); });
  POS.on("ws:menu.item_back_in_stock", function (data) { setSoldOut(data, false); });
  POS.on("ws:menu.updated", reloadMenu);
  POS.on("ws:resync", reloadMenu);

  // -- start -------------------------------------------------------------------------------------------

  function start() {
    var params = new URLSearchParams(window.location.search);
    var tableId = Number(params.get("table"));
    var orderId = Number(params.get("order"));
    var fixId = Number(params.get("fix"));
    if (tableId && !cart.lines.length) {
      cart = newCart({ type: "DINE_IN", table_id: tableId });
      saveCart();
    }
    if (orderId) {
      POS.api.get("/api/v1/orders/" + orderId + "/").then(function (order) {
        if (!cart.adding_to || cart.adding_to.id !== order.id) {
          cart = newCart({ adding_to: { id: order.id, number: order.number, label: POS.orderLabel(order), version: order.version } });
        }
        cartChanged();
      }, function (err) { POS.toast(interpolate(gettext("Could not open the order: %(reason)s"), { reason: err.message }, true), "error"); });
    }
    if (fixId) POS.store.get(fixId).then(function (entry) { if (entry && entry.error) fix(entry); });
    if (params.toString()) window.history.replaceState(null, "", window.location.pathname);
    renderCategories();
    renderItems();
    renderLast();
    cartVersion += 1;
    renderCart();
    if (cart.lines.length) requestQuote();
    reloadMenu();
  }

  start();
})();
