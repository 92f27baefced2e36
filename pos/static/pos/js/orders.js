// CafePOS terminal: open and recent orders (/pos/orders/) with their live status. Open one to add items,
// take payment or mark it served; orders still waiting in this terminal's outbox are listed too.
(function () {
  "use strict";

  var POS = window.CafePOS;
  var config = POS.config;
  var $ = POS.$, el = POS.el;
  var OPEN = ["PENDING", "PREPARING", "READY", "SERVED"];
  var STATUS_NAMES = {
    PENDING: pgettext("order status", "Pending"), PREPARING: pgettext("order status", "Preparing"), READY: pgettext("order status", "Ready"),
    SERVED: pgettext("order status", "Served"), COMPLETED: pgettext("order status", "Completed"), CANCELLED: pgettext("order status", "Cancelled"),
  };
  var PAYMENT_NAMES = {
    UNPAID: pgettext("payment status", "Unpaid"), PARTIALLY_PAID: pgettext("payment status", "Part paid"), PAID: pgettext("payment status", "Paid"),
    PARTIALLY_REFUNDED: pgettext("payment status", "Part refunded"), REFUNDED: pgettext("payment status", "Refunded"),
  };

  var orders = new Map();
  config.orders.forEach(function (order) { orders.set(order.id, order); });
  var outbox = [];
  var tab = "open";
  var selected = Number(new URLSearchParams(window.location.search).get("order")) || null;
  var busy = false;

  var list = $("[data-order-list]");
  var detail = $("[data-order-detail]");

  function isOpen(order) { return OPEN.indexOf(order.status) >= 0; }

  function sorted() {
    return Array.from(orders.values()).sort(function (a, b) { return b.created_at < a.created_at ? -1 : b.created_at > a.created_at ? 1 : b.id - a.id; });
  }

  function renderList() {
    POS.$$("[data-tab]").forEach(function (button) {
      button.setAttribute("aria-selected", button.getAttribute("data-tab") === tab ? "true" : "false");
    });
    $("[data-count=open]").textContent = sorted().filter(isOpen).length;
    $("[data-count=waiting]").textContent = outbox.length;
    list.textContent = "";
    if (tab === "waiting") return renderOutbox();
    var shown = sorted().filter(function (order) { return tab === "open" ? isOpen(order) : !isOpen(order); });
    if (!shown.length) list.appendChild(el("li", "empty", tab === "open" ? gettext("No open orders.") : gettext("No recent orders.")));
    shown.forEach(function (order) {
      var row = el("li");
      var button = POS.button("order-row" + (order.id === selected ? " is-selected" : ""), null, { order: order.id });
      button.appendChild(el("span", "order-number", order.number));
      button.appendChild(el("span", "order-where", POS.orderLabel(order)));
      button.appendChild(el("span", "chip status-" + order.status.toLowerCase(), STATUS_NAMES[order.status]));
      button.appendChild(el("span", "order-total", POS.money(order.total)));
      button.appendChild(el("span", "chip pay-" + order.payment_status.toLowerCase(), PAYMENT_NAMES[order.payment_status]));
      row.appendChild(button);
      list.appendChild(row);
    });
    return null;
  }

  function renderOutbox() {
    if (!outbox.length) list.appendChild(el("li", "empty", gettext("Nothing is waiting to be sent.")));
    outbox.forEach(function (entry) {
      var row = el("li", "order-row is-waiting" + (entry.error ? " is-refused" : ""));
      row.appendChild(el("span", "order-number", entry.kind === "pay" ? gettext("Payment") : entry.kind === "items" ? gettext("Items") : gettext("Order")));
      row.appendChild(el("span", "order-where", entry.label + " · " + entry.staff_name));
      row.appendChild(el("span", "order-total", POS.money(entry.total)));
      row.appendChild(el("span", "chip", entry.error ? interpolate(gettext("refused: %(reason)s"), { reason: entry.error.message }, true) : pgettext("outbox entry", "waiting")));
      list.appendChild(row);
    });
  }

  function renderDetail() {
    var order = orders.get(selected);
    detail.textContent = "";
    if (!order) {
      detail.appendChild(el("p", "empty", gettext("Choose an order.")));
      return;
    }
    var head = el("header", "detail-head");
    head.appendChild(el("h2", null, order.number + " · " + POS.orderLabel(order)));
    var status = el("span", "chip status-" + order.status.toLowerCase(), STATUS_NAMES[order.status]);
    status.setAttribute("data-order-status", order.status);
    head.appendChild(status);
    head.appendChild(el("span", "chip pay-" + order.payment_status.toLowerCase(), PAYMENT_NAMES[order.payment_status]));
    detail.appendChild(head);
    if (order.customer && order.customer.name) {
      detail.appendChild(el("p", "hint", [order.customer.name, order.customer.phone, order.customer.address].filter(Boolean).join(" · ")));
    }
    var lines = el("ul", "detail-lines");
    order.items.forEach(function (line) {
      var row = el("li", "detail-line" + (line.voided ? " is-void" : ""));
      row.appendChild(el("span", "line-name", line.quantity + "× " + line.name));
      row.appendChild(el("span", "line-total", POS.money(line.line_total)));
      if (line.modifiers.length) row.appendChild(el("span", "line-mods", line.modifiers.map(function (m) { return m.name; }).join(", ")));
      if (line.note) row.appendChild(el("span", "line-note", line.note));
      if (line.voided) row.appendChild(el("span", "line-warning", pgettext("order line", "VOID")));
      else if (isOpen(order)) row.appendChild(POS.button("btn btn-outline line-void", pgettext("button", "Void"), { "void-line": line.id }));
      lines.appendChild(row);
    });
    detail.appendChild(lines);
    var totals = el("dl", "totals");
    [["subtotal", gettext("Subtotal"), order.subtotal], ["discount", gettext("Discount"), -order.discount_total],
      ["tax", gettext("Tax"), order.tax_total], ["tip", gettext("Tip"), order.tip_total], ["total", gettext("Total"), order.total],
      ["paid", gettext("Paid"), order.paid_total], ["due", pgettext("amount", "Due"), order.balance_due]].forEach(function (entry) {
      if (!entry[2] && ["discount", "tip", "paid"].indexOf(entry[0]) >= 0) return;
      var row = el("div", "totals-row" + (entry[0] === "due" ? " totals-grand" : ""));
      row.appendChild(el("dt", null, entry[1]));
      var value = el("dd", null, POS.money(entry[2]));
      value.setAttribute("data-total", entry[0]);
      row.appendChild(value);
      totals.appendChild(row);
    });
    detail.appendChild(totals);
    var actions = el("div", "detail-actions");
    if (isOpen(order)) {
      actions.appendChild(POS.button("btn btn-secondary", gettext("Add items"), { "add-items": order.id }));
      var served = POS.button("btn btn-secondary", gettext("Mark served"), { served: order.id });
      served.disabled = order.status !== "READY" || busy;
      actions.appendChild(served);
    }
    if (order.balance_due > 0 && order.status !== "CANCELLED") actions.appendChild(POS.button("btn btn-primary", gettext("Take payment"), { pay: order.id }));
    var receipt = el("a", "btn btn-secondary", gettext("Receipt"));
    receipt.href = POS.url("receipt", order.id);
    actions.appendChild(receipt);
    detail.appendChild(actions);
  }

  function render() {
    renderList();
    renderDetail();
  }

  function upsert(order) {
    if (!order || order.location_id !== config.location.id) return;
    orders.set(order.id, order);
    render();
  }

  function markServed(order) {
    busy = true;
    render();
    POS.api.post("/api/v1/orders/" + order.id + "/status/", { status: "SERVED", version: order.version }, { key: POS.uuid() }).then(
      function (fresh) {
        upsert(fresh);
        POS.toast(interpolate(gettext("%(order)s served"), { order: fresh.number }, true));
      },
      function (err) {
        POS.toast(err.kind === "network" ? gettext("Marking an order served needs the server.") : err.message, "error");
        if (err.code === "order.version_conflict") refresh();
      }
    ).then(function () {
      busy = false;
      render();
    });
  }

  // Voiding an item: a reason, and when the server answers discount.approval_required (the discount would be
  // above what was approved), the manager-PIN fieldset the discount dialog uses, then the same void again.
  var voidDialog = $("[data-void-dialog]");
  var voidApproval = POS.approval(voidDialog);
  var voiding = null;

  function voidError(text) {
    var box = $("[data-void-error]", voidDialog);
    box.textContent = text || "";
    box.hidden = !text;
  }

  function openVoid(order, lineId) {
    var line = order.items.filter(function (item) { return item.id === lineId; })[0];
    voiding = { order: order, line: line, key: POS.uuid() };
    $("[data-void-name]", voidDialog).textContent = line.quantity + "× " + line.name;
    $("[data-void-reason]", voidDialog).value = "";
    voidApproval.show(false);
    voidApproval.reset();
    voidError("");
    POS.openDialog(voidDialog);
  }

  function sendVoid() {
    var reason = $("[data-void-reason]", voidDialog).value.trim();
    if (!reason) return voidError(gettext("Give a reason for the void."));
    voiding.order = orders.get(voiding.order.id) || voiding.order; // the latest version (sockets, a refresh)
    var body = { reason: reason, version: voiding.order.version };
    if (voidApproval.shown()) {
      body.approval = voidApproval.read();
      if (!body.approval) return voidError(gettext("Choose the manager and enter their PIN."));
    }
    var url = "/api/v1/orders/" + voiding.order.id + "/items/" + voiding.line.id + "/void/";
    var confirm = $("[data-void-confirm]", voidDialog);
    confirm.disabled = true;
    POS.api.post(url, body, { key: voiding.key }).then(
      function (fresh) {
        POS.closeDialog(voidDialog);
        upsert(fresh);
        POS.toast(interpolate(gettext("%(item)s voided"), { item: voiding.line.name }, true));
      },
      function (err) {
        voiding.key = POS.uuid(); // a refusal is final for its key: the next try is a new request
        voidApproval.clearPin();
        if (err.code === "discount.approval_required") voidApproval.show(true);
        voidError(err.kind === "network" ? gettext("Voiding an item needs the server.") : err.message);
        if (err.code === "order.version_conflict") refresh();
      }
    ).then(function () { confirm.disabled = false; });
    return null;
  }

  voidDialog.addEventListener("click", function (event) {
    if (event.target.closest("[data-void-confirm]")) sendVoid();
    else if (event.target.closest("[data-dialog-close]")) POS.closeDialog(voidDialog);
  });

  function refresh() {
    return POS.api.get("/api/v1/orders/?limit=100").then(function (page) {
      orders = new Map();
      page.results.forEach(function (order) { orders.set(order.id, order); });
      render();
    }, function () {});
  }

  document.addEventListener("click", function (event) {
    var t = event.target;
    var row = t.closest("[data-order]");
    var tabButton = t.closest("[data-tab]");
    if (row) {
      selected = Number(row.getAttribute("data-order"));
      render();
    } else if (tabButton) {
      tab = tabButton.getAttribute("data-tab");
      renderList();
    } else if (t.closest("[data-add-items]")) {
      window.location.href = config.urls.register + "?order=" + selected;
    } else if (t.closest("[data-void-line]")) {
      openVoid(orders.get(selected), Number(t.closest("[data-void-line]").getAttribute("data-void-line")));
    } else if (t.closest("[data-served]")) {
      markServed(orders.get(selected));
    } else if (t.closest("[data-pay]")) {
      POS.payment.open({ order: orders.get(selected) });
    }
  });

  POS.on("ws:event", function (message) {
    if (message.type.indexOf("order.") === 0 && message.data) upsert(message.data.order);
  });
  POS.on("ws:resync", refresh);
  POS.on("payment.taken", function (detail) { if (detail.order) upsert(detail.order); });
  POS.on("outbox.sent", function (result) { if (result.order) upsert(result.order); });
  POS.on("outbox.changed", function (entries) {
    outbox = entries;
    renderList();
  });

  if (selected && !orders.has(selected)) {
    POS.api.get("/api/v1/orders/" + selected + "/").then(upsert, function () {});
  }
  render();
})();
