// CafePOS terminal: open and recent orders (/pos/orders/, or /pos/orders/<id>/ with one chosen) with their live
// status, and any order of the last days found by its number or receipt number. Open one to add items, take
// payment, mark it served, void an item, cancel it, refund it, reprint or email its receipt; orders still waiting
// in this terminal's outbox are listed too. Void, cancel and refund carry a manager's authority or change what the
// kitchen makes, so they are never queued: offline their buttons are disabled and say why.
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
  var found = [];
  var tab = "open";
  var selected = config.selected || Number(new URLSearchParams(window.location.search).get("order")) || null;
  var busy = false;
  var online = navigator.onLine !== false;
  var TENDER_NAMES = { CASH: gettext("Cash"), CARD: gettext("Card"), OTHER: pgettext("tender", "Other") };

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
    $("[data-count=found]").textContent = found.length;
    list.textContent = "";
    if (tab === "waiting") return renderOutbox();
    var shown = tab === "found" ? found.map(function (id) { return orders.get(id); }).filter(Boolean) :
      sorted().filter(function (order) { return tab === "open" ? isOpen(order) : !isOpen(order); });
    var none = { open: gettext("No open orders."), recent: gettext("No recent orders."), found: gettext("No order with this number.") };
    if (!shown.length) list.appendChild(el("li", "empty", none[tab]));
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
      detail.appendChild(el("p", "empty", gettext("Choose an order on the left to see it here.")));
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
      else if (isOpen(order)) row.appendChild(needsServer(POS.button("btn btn-outline line-void", pgettext("button", "Void"), { "void-line": line.id })));
      lines.appendChild(row);
    });
    detail.appendChild(lines);
    var totals = el("dl", "totals");
    [["subtotal", gettext("Subtotal"), order.subtotal], ["discount", gettext("Discount"), -order.discount_total]].concat(
      taxRows(order),
      [["tip", gettext("Tip"), order.tip_total], ["total", gettext("Total"), order.total],
        ["paid", gettext("Paid"), order.paid_total], ["due", pgettext("amount", "Due"), order.balance_due]]
    ).forEach(function (entry) {
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
    if (order.status === "PENDING" || order.status === "PREPARING") actions.appendChild(needsServer(POS.button("btn btn-danger", gettext("Cancel order"), { cancel: order.id })));
    if (order.paid_total > 0) actions.appendChild(needsServer(POS.button("btn btn-danger", pgettext("button", "Refund"), { refund: order.id })));
    var receipt = el("a", "btn btn-secondary", order.receipt_number ? gettext("Reprint receipt") : gettext("Receipt"));
    receipt.href = POS.url("receipt", order.id);
    receipt.setAttribute("data-receipt-link", "");
    actions.appendChild(receipt);
    actions.appendChild(POS.button("btn btn-secondary", gettext("Email receipt"), { email: order.id }));
    detail.appendChild(actions);
    if (!online && detail.querySelector("[data-needs-server]")) {
      var why = el("p", "hint needs-connection", gettext("Needs a connection: void, cancel and refund are made on the server."));
      why.id = "needs-connection";
      why.setAttribute("data-needs-connection", "");
      detail.appendChild(why);
    }
  }

  // A button whose action only the server can take: disabled offline, pointing at the sentence that says why.
  function needsServer(button) {
    button.setAttribute("data-needs-server", "");
    if (!online) {
      button.disabled = true;
      button.setAttribute("aria-describedby", "needs-connection");
    }
    return button;
  }

  // "Tax 10 %" per rate, split as the server splits it (pricing.js, the twin of orders/services/pricing.py);
  // a single "Tax" row if the page's sum ever disagrees with the server's.
  function taxRows(order) {
    var counted = order.items.filter(function (line) { return !line.voided; });
    var split = POS.pricing.totals(counted, { amount: order.discount_total }, 0, config.location.tax_mode);
    if (split.tax_total !== order.tax_total || !split.taxes.length) return [["tax", gettext("Tax"), order.tax_total]];
    var inclusive = config.location.tax_mode === "INCLUSIVE";
    return split.taxes.map(function (tax) {
      var label = interpolate(inclusive ? gettext("Tax %(rate)s% incl.") : gettext("Tax %(rate)s%"), { rate: POS.rate(tax.rate) }, true);
      return ["tax-" + tax.rate, label, tax.amount];
    });
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
  // above what was approved) or void.approval_required (a sent item, where the location asks for a manager),
  // the manager-PIN fieldset the discount dialog uses, then the same void again.
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
        if (err.code === "discount.approval_required" || err.code === "void.approval_required") voidApproval.show(true);
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

  // Cancelling: the lifecycle's rules are the server's (PENDING by anyone, PREPARING by a manager, never once paid),
  // its refusal shown in the dialog; the reason is kept on the order's audit trail.
  var cancelDialog = $("[data-cancel-dialog]");
  var cancelling = null;

  function openCancel(order) {
    cancelling = { order: order, key: POS.uuid() };
    $("[data-cancel-name]", cancelDialog).textContent = order.number;
    $("[data-cancel-reason]", cancelDialog).value = "";
    POS.showAlert($("[data-cancel-error]", cancelDialog), "");
    POS.openDialog(cancelDialog);
  }

  function sendCancel() {
    var box = $("[data-cancel-error]", cancelDialog);
    var reason = $("[data-cancel-reason]", cancelDialog).value.trim();
    if (!reason) return POS.showAlert(box, gettext("Give a reason for cancelling."));
    var order = orders.get(cancelling.order.id) || cancelling.order;
    var confirm = $("[data-cancel-confirm]", cancelDialog);
    confirm.disabled = true;
    POS.api.post("/api/v1/orders/" + order.id + "/status/", { status: "CANCELLED", version: order.version, reason: reason }, { key: cancelling.key }).then(
      function (fresh) {
        POS.closeDialog(cancelDialog);
        upsert(fresh);
        POS.toast(interpolate(gettext("%(order)s cancelled"), { order: fresh.number }, true));
      },
      function (err) {
        cancelling.key = POS.uuid();
        POS.showAlert(box, err.kind === "network" ? gettext("Cancelling an order needs the server.") : err.message);
        if (err.code === "order.version_conflict") refresh();
      }
    ).then(function () { confirm.disabled = false; });
    return null;
  }

  // Refunding: in full, by items or an amount, back to the tender each payment was made with. A manager's
  // (the signed-in one, or one typing their PIN here). In full refunds every payment what is left of it.
  var refundDialog = $("[data-refund-dialog]");
  var refundApproval = POS.approval(refundDialog);
  var refunding = null;

  function refundable(payment) { return payment.amount + payment.tip - payment.refunded_amount; }

  function paymentName(payment) {
    var tender = TENDER_NAMES[payment.tender] || payment.tender;
    if (payment.card_last4) tender += " ••" + payment.card_last4;
    return interpolate(gettext("%(tender)s · %(amount)s refundable"), { tender: tender, amount: POS.money(refundable(payment)) }, true);
  }

  function openRefund(order) {
    var box = $("[data-refund-error]", refundDialog);
    refunding = { order: order, mode: "full", payments: [], keys: {} };
    $("[data-refund-name]", refundDialog).textContent = order.number;
    $("[data-refund-reason]", refundDialog).value = "";
    $("[data-refund-amount]", refundDialog).value = "";
    refundApproval.reset();
    refundApproval.show(!POS.isManager());
    POS.showAlert(box, "");
    var lines = $("[data-refund-lines]", refundDialog);
    POS.$$("label", lines).forEach(function (label) { label.remove(); });
    order.items.filter(function (line) { return !line.voided; }).forEach(function (line) {
      var label = el("label", "check-line");
      var check = el("input");
      check.type = "checkbox";
      check.setAttribute("data-refund-line", line.id);
      label.appendChild(check);
      label.appendChild(el("span", null, line.quantity + "× " + line.name + " · " + POS.money(line.line_total)));
      lines.appendChild(label);
    });
    $("[data-refund-payment]", refundDialog).textContent = "";
    refundMode("full");
    POS.openDialog(refundDialog);
    POS.api.get(POS.url("order_payments", order.id)).then(function (answer) {
      refunding.payments = answer.payments.filter(function (payment) { return refundable(payment) > 0; });
      var select = $("[data-refund-payment]", refundDialog);
      refunding.payments.forEach(function (payment) {
        var option = el("option", null, paymentName(payment));
        option.value = String(payment.id);
        select.appendChild(option);
      });
      refundSummary();
    }, function (err) {
      POS.showAlert(box, err.kind === "network" ? gettext("Refunding needs the server.") : err.message);
    });
  }

  function refundMode(mode) {
    refunding.mode = mode;
    POS.$$("[data-refund-mode]", refundDialog).forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-refund-mode") === mode ? "true" : "false");
    });
    $("[data-refund-lines]", refundDialog).hidden = mode !== "lines";
    $("[data-refund-amount-field]", refundDialog).hidden = mode !== "amount";
    $("[data-refund-payment-field]", refundDialog).hidden = mode === "full";
    refundSummary();
  }

  // The refunds to make, [{payment, amount}]: by items, their share of what was charged for the items (the
  // discount and tax spread as on the bill; the tip is not an item's), capped at what the payment has left.
  function refundPlan() {
    var order = refunding.order;
    if (refunding.mode === "full") {
      return refunding.payments.map(function (payment) { return { payment: payment, amount: refundable(payment) }; });
    }
    var chosen = Number($("[data-refund-payment]", refundDialog).value);
    var payment = refunding.payments.filter(function (p) { return p.id === chosen; })[0];
    if (!payment) return [];
    var amount;
    if (refunding.mode === "amount") {
      amount = POS.parseMoney($("[data-refund-amount]", refundDialog).value);
    } else {
      var ids = POS.$$("[data-refund-line]:checked", refundDialog).map(function (box) { return Number(box.getAttribute("data-refund-line")); });
      var value = order.items.filter(function (line) { return ids.indexOf(line.id) >= 0; }).reduce(function (sum, line) { return sum + line.line_total; }, 0);
      amount = order.subtotal ? POS.pricing.divRound(value * (order.total - order.tip_total), order.subtotal) : 0;
      amount = Math.min(amount, refundable(payment));
    }
    return amount ? [{ payment: payment, amount: amount }] : [];
  }

  function refundSummary() {
    var plan = refundPlan();
    var total = plan.reduce(function (sum, part) { return sum + part.amount; }, 0);
    $("[data-refund-summary]", refundDialog).textContent = plan.length ? interpolate(gettext("Refund %(amount)s to %(tender)s"), {
      amount: POS.money(total),
      tender: plan.map(function (part) { return TENDER_NAMES[part.payment.tender] || part.payment.tender; }).join(", "),
    }, true) : "";
  }

  function sendRefund() {
    var box = $("[data-refund-error]", refundDialog);
    var plan = refundPlan();
    var reason = $("[data-refund-reason]", refundDialog).value.trim();
    if (!plan.length) return POS.showAlert(box, refunding.mode === "lines" ? gettext("Choose the items to refund.") : gettext("Enter the amount to refund."));
    if (!reason) return POS.showAlert(box, gettext("Give a reason for the refund."));
    var approval = null;
    if (refundApproval.shown()) {
      approval = refundApproval.read();
      if (!approval) return POS.showAlert(box, gettext("Choose the manager and enter their PIN."));
    }
    var confirm = $("[data-refund-confirm]", refundDialog);
    confirm.disabled = true;
    // One payment after the other, each with its own key (kept across a retry of the same plan).
    var done = plan.reduce(function (previous, part) {
      return previous.then(function () {
        var body = { payment_id: part.payment.id, amount: part.amount, reason: reason, approval: approval };
        var key = refunding.keys[part.payment.id + ":" + part.amount] = refunding.keys[part.payment.id + ":" + part.amount] || POS.uuid();
        return POS.api.post("/api/v1/orders/" + refunding.order.id + "/refunds/", body, { key: key }).then(function (answer) {
          part.payment.refunded_amount += part.amount;
          upsert(answer.order);
        });
      });
    }, Promise.resolve());
    done.then(
      function () {
        POS.closeDialog(refundDialog);
        POS.toast(interpolate(gettext("%(order)s refunded"), { order: refunding.order.number }, true));
      },
      function (err) {
        refunding.keys = {}; // a refusal is final for its key
        refundApproval.clearPin();
        if (err.code === "refund.approval_required") refundApproval.show(true);
        POS.showAlert(box, err.kind === "network" ? gettext("Refunding needs the server.") : err.message);
        refundSummary();
      }
    ).then(function () { confirm.disabled = false; });
    return null;
  }

  // Emailing the receipt: queued by the server and sent by its worker.
  var emailDialog = $("[data-email-dialog]");
  var emailing = null;

  function openEmail(order) {
    emailing = { order: order, key: POS.uuid() };
    $("[data-email-to]", emailDialog).value = (order.customer && order.customer.email) || "";
    POS.showAlert($("[data-email-error]", emailDialog), "");
    POS.openDialog(emailDialog);
  }

  function sendEmail() {
    var box = $("[data-email-error]", emailDialog);
    var to = $("[data-email-to]", emailDialog).value.trim();
    if (!to) return POS.showAlert(box, gettext("Enter an email address."));
    var confirm = $("[data-email-confirm]", emailDialog);
    confirm.disabled = true;
    POS.api.post("/api/v1/orders/" + emailing.order.id + "/receipt-email/", { email: to }, { key: emailing.key }).then(
      function () {
        POS.closeDialog(emailDialog);
        POS.toast(interpolate(gettext("Receipt sent to %(email)s"), { email: to }, true));
      },
      function (err) {
        emailing.key = POS.uuid();
        var field = err.fields && err.fields.email;
        POS.showAlert(box, err.kind === "network" ? gettext("Emailing a receipt needs the server.") : (field && field[0]) || err.message);
      }
    ).then(function () { confirm.disabled = false; });
    return null;
  }

  [cancelDialog, refundDialog, emailDialog].forEach(function (dialog) {
    dialog.addEventListener("click", function (event) {
      var t = event.target;
      if (t.closest("[data-dialog-close]")) POS.closeDialog(dialog);
      else if (t.closest("[data-cancel-confirm]")) sendCancel();
      else if (t.closest("[data-refund-confirm]")) sendRefund();
      else if (t.closest("[data-email-confirm]")) sendEmail();
      else if (t.closest("[data-refund-mode]")) refundMode(t.closest("[data-refund-mode]").getAttribute("data-refund-mode"));
    });
  });
  refundDialog.addEventListener("input", refundSummary);
  refundDialog.addEventListener("change", refundSummary);

  // Finding an order by its number or receipt number, today or some days back (bounded by the server).
  var searchForm = $("[data-order-search]");
  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var box = $("[data-search-error]", searchForm);
    POS.showAlert(box, "");
    var query = new URLSearchParams({ by: searchForm.elements.by.value, q: searchForm.elements.q.value, days: searchForm.elements.days.value }).toString();
    POS.api.get(config.urls.order_search + "?" + query).then(function (answer) {
      answer.orders.forEach(function (order) { orders.set(order.id, order); });
      found = answer.orders.map(function (order) { return order.id; });
      tab = "found";
      $("[data-tab=found]").hidden = false;
      if (found.length === 1) selected = found[0];
      render();
    }, function (err) {
      var field = err.fields && (err.fields.q || err.fields.days || err.fields.by);
      POS.showAlert(box, err.kind === "network" ? gettext("Finding an order needs the server.") : (field && field[0]) || err.message);
    });
  });

  function connection(up) {
    if (up === online) return;
    online = up;
    renderDetail();
  }

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
    } else if (t.closest("[data-cancel]")) {
      openCancel(orders.get(selected));
    } else if (t.closest("[data-refund]")) {
      openRefund(orders.get(selected));
    } else if (t.closest("[data-email]")) {
      openEmail(orders.get(selected));
    }
  });

  // The browser knows first when the network goes: tell the page (the pill too), not only this screen.
  POS.on("connection", connection);
  window.addEventListener("offline", function () { POS.emit("connection", false); });
  window.addEventListener("online", function () { POS.emit("connection", true); });

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
