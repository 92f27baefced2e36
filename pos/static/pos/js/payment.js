// CafePOS terminal: the payment dialog. Cash (tendered, quick amounts, change due) or card (recorded from
// the separate card terminal), several tenders one after another, a tip, and the bill split evenly or by
// items into checks (computed by the server's split services). Payments go through the outbox like orders:
// each has its own Idempotency-Key, and cash taken while offline is sent once the server answers. A tip above the
// location's max_tip_percent of the amount applied needs a manager's PIN (the fieldset the void dialog uses).
// Cash needs an open drawer: with none open on this terminal, the dialog asks for the float, opens the drawer
// through the shifts API and the payment continues.
(function () {
  "use strict";

  var POS = window.CafePOS;
  var $ = POS.$, el = POS.el;
  var dialog = $("[data-pay-dialog]");
  if (!dialog) return;

  var state = null; // {order | entry, due, checks, check, tender, busy}
  var amountInput = $("[data-pay-amount]", dialog);
  var tipInput = $("[data-pay-tip]", dialog);
  var tenderedInput = $("[data-pay-tendered]", dialog);
  var floatInput = $("[data-pay-float]", dialog);
  var approval = POS.approval(dialog);
  // false: no drawer open here (as the page was rendered, or as a refused cash payment said); key: the
  // Idempotency-Key of the opening being sent, kept until the server answers.
  var drawer = { closed: POS.config.drawer_open === false, key: null };

  // A tip above max_tip_percent of the amount applied needs a manager (POS.pricing.tipAboveCap).
  function tipNeedsApproval(v) {
    if (!v.tip || v.amount === null || POS.isManager()) return false;
    return POS.pricing.tipAboveCap(v.tip, Math.min(v.amount, state.due), POS.config.location.max_tip_percent);
  }

  function dueOf(target) {
    return target.order ? target.order.balance_due : target.entry.total - (target.paid || 0);
  }

  function open(target) {
    state = {
      order: target.order || null,
      entry: target.entry || null,
      paid: 0,
      checks: null,
      check: null,
      tender: "CASH",
      busy: false,
      tipRefused: false, // the server asked for a manager for this tip (payment.tip_too_large)
      assign: {}, // line id → check number, for a split by items
      parts: 2,
    };
    state.due = dueOf(state);
    $("[data-pay-title]", dialog).textContent = interpolate(gettext("Payment · %(order)s"), { order: state.order ? state.order.number : state.entry.label }, true);
    $("[data-pay-done]", dialog).hidden = true;
    $("[data-pay-form-body]", dialog).hidden = false;
    $("[data-pay-split]", dialog).hidden = !state.order; // splitting needs the order on the server
    tipInput.value = "";
    approval.show(false);
    approval.reset();
    setAmount(state.due);
    render();
    POS.openDialog(dialog);
  }

  function setAmount(minor) {
    amountInput.value = POS.moneyText(minor);
    tenderedInput.value = "";
  }

  function values() {
    var amount = POS.parseMoney(amountInput.value);
    var tip = tipInput.value.trim() ? POS.parseMoney(tipInput.value) : 0;
    var tendered = tenderedInput.value.trim() ? POS.parseMoney(tenderedInput.value) : null;
    return { amount: amount, tip: tip, tendered: tendered };
  }

  function quickAmounts(owed) {
    var unit = Math.pow(10, POS.config.location.places);
    var amounts = [owed];
    [5, 10, 20, 50].forEach(function (note) {
      var step = note * unit;
      var up = Math.ceil(owed / step) * step;
      if (up > owed && amounts.indexOf(up) < 0) amounts.push(up);
    });
    return amounts.slice(0, 4);
  }

  function render() {
    $("[data-pay-due]", dialog).textContent = POS.money(state.due);
    POS.$$("[data-tender]", dialog).forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-tender") === state.tender ? "true" : "false");
    });
    $("[data-cash]", dialog).hidden = state.tender !== "CASH";
    $("[data-card]", dialog).hidden = state.tender !== "CARD";
    var v = values();
    var owed = (v.amount || 0) + (v.tip || 0);
    var quick = $("[data-quick]", dialog);
    quick.textContent = "";
    quickAmounts(owed).forEach(function (amount, i) {
      quick.appendChild(POS.button("btn btn-quick", i === 0 ? interpolate(gettext("Exact %(amount)s"), { amount: POS.money(amount) }, true) : POS.money(amount), { "quick-cash": amount }));
    });
    var applied = Math.min(v.amount || 0, state.due);
    var change = v.tendered === null ? Math.max(0, (v.amount || 0) - applied) : v.tendered - applied - (v.tip || 0);
    $("[data-change]", dialog).textContent = POS.money(Math.max(0, change));
    var opening = state.tender === "CASH" && drawer.closed;
    $("[data-pay-drawer]", dialog).hidden = !opening;
    $("[data-pay-charge]", dialog).textContent = interpolate(opening ? gettext("Open drawer and charge %(amount)s") : gettext("Charge %(amount)s"), { amount: POS.money(owed) }, true);
    $("[data-pay-charge]", dialog).disabled = state.busy;
    var asked = state.tipRefused || tipNeedsApproval(v);
    if (approval.shown() && !asked) approval.reset();
    approval.show(asked);
    renderChecks();
  }

  function renderChecks() {
    POS.$$("[data-split]", dialog).forEach(function (button) {
      var mode = button.getAttribute("data-split");
      var current = state.checks ? (state.splitMode || "none") : state.splitting === "items" ? "items" : "none";
      button.setAttribute("aria-pressed", mode === current ? "true" : "false");
    });
    var items = $("[data-split-items]", dialog);
    items.hidden = state.splitting !== "items" || Boolean(state.checks);
    if (!items.hidden) renderAssign(items);
    var list = $("[data-checks]", dialog);
    list.textContent = "";
    (state.checks || []).forEach(function (check) {
      var row = el("li", "check" + (check.paid ? " is-paid" : "") + (check.check_number === state.check ? " is-current" : ""));
      var button = POS.button("check-btn", interpolate(gettext("Check %(number)s · %(amount)s"), { number: check.check_number, amount: POS.money(check.amount) }, true), { check: check.check_number });
      button.disabled = Boolean(check.paid);
      row.appendChild(button);
      if (check.paid) row.appendChild(el("span", "chip chip-ok", pgettext("check", "paid")));
      list.appendChild(row);
    });
  }

  function renderAssign(box) {
    var list = $("[data-assign-lines]", box);
    list.textContent = "";
    state.order.items.filter(function (line) { return !line.voided; }).forEach(function (line) {
      var row = el("li", "assign-line");
      row.appendChild(el("span", null, line.quantity + "× " + line.name + " · " + POS.money(line.line_total)));
      var picker = el("div", "segmented segmented-small");
      for (var n = 1; n <= state.parts; n++) {
        var b = POS.button(null, String(n), { assign: line.id, to: n });
        b.setAttribute("aria-pressed", (state.assign[line.id] || 1) === n ? "true" : "false");
        b.setAttribute("aria-label", interpolate(gettext("%(item)s on check %(number)s"), { item: line.name, number: n }, true));
        picker.appendChild(b);
      }
      row.appendChild(picker);
      list.appendChild(row);
    });
  }

  var showError = POS.showAlert.bind(null, $("[data-pay-error]", dialog));

  function split(body, mode) {
    POS.api.post(POS.url("split", state.order.id), body).then(function (answer) {
      state.checks = answer.checks;
      state.splitMode = mode;
      state.splitting = null;
      pickCheck(answer.checks[0].check_number);
    }, function (err) { showError(err.message); });
  }

  function pickCheck(number) {
    var check = state.checks.find(function (c) { return c.check_number === number; });
    state.check = number;
    setAmount(Math.min(check.amount, state.due));
    render();
  }

  function charge() {
    if (state.busy) return;
    var v = values();
    showError("");
    if (!v.amount) return showError(gettext("Enter the amount to pay."));
    if (v.tip === null) return showError(gettext("Enter the tip as an amount."));
    if (state.tender === "CARD" && v.amount > state.due) return showError(interpolate(gettext("A card pays at most what is due (%(amount)s)."), { amount: POS.money(state.due) }, true));
    if (state.tender === "CASH" && v.tendered !== null && v.tendered < Math.min(v.amount, state.due) + v.tip) {
      return showError(gettext("Less cash was handed over than is paid."));
    }
    if (state.tender === "CASH" && drawer.closed) return openDrawer();
    var body = { tender: state.tender, amount: v.amount, tip: v.tip };
    if (state.tender === "CASH" && v.tendered !== null) body.tendered = v.tendered;
    if (state.tender === "CARD") {
      var last4 = $("[data-card-last4]", dialog).value.trim();
      var reference = $("[data-card-ref]", dialog).value.trim();
      if (last4) body.card_last4 = last4;
      if (reference) body.terminal_reference = reference;
    }
    if (state.check) body.check_number = state.check;
    if (approval.shown()) {
      body.approval = approval.read();
      if (!body.approval) {
        return showError(interpolate(gettext("A tip above %(percent)s% of the amount needs a manager's approval: choose the manager and enter their PIN."), { percent: POS.config.location.max_tip_percent }, true));
      }
      approval.clearPin(); // typed again for every try
    }
    state.busy = true;
    render();
    var target = state.order ? { orderId: state.order.id, label: state.order.number } : { orderKey: state.entry.key, label: state.entry.label };
    POS.sync.pay(target, body).then(function (outcome) {
      state.busy = false;
      if (outcome.status === "refused") {
        POS.store.remove(outcome.entry.id).then(POS.sync.refresh);
        if (outcome.error.code === "payment.tip_too_large") state.tipRefused = true;
        if (outcome.error.code === "shift.required") drawer.closed = true; // closed meanwhile: the float is asked
        render();
        return showError(outcome.error.message); // a wrong PIN (pin.*) says why, and how many tries are left
      }
      var applied = Math.min(v.amount, state.due);
      var change = outcome.payment ? outcome.payment.change_due : state.tender === "CASH" ? (v.tendered === null ? v.amount - applied : v.tendered - applied - v.tip) : 0;
      state.tipRefused = false;
      if (outcome.order) state.order = outcome.order;
      state.due = outcome.order ? outcome.order.balance_due : state.due - applied;
      if (state.check) state.checks.find(function (c) { return c.check_number === state.check; }).paid = true;
      POS.emit("payment.taken", { order: outcome.order, queued: outcome.status !== "sent" });
      if (state.due > 0) {
        var next = state.checks && state.checks.find(function (c) { return !c.paid; });
        if (next) pickCheck(next.check_number);
        else setAmount(state.due);
        var paid = { paid: POS.money(applied), change: POS.money(change), left: POS.money(state.due) };
        POS.toast(interpolate(change ? gettext("Paid %(paid)s · change %(change)s · %(left)s left") : gettext("Paid %(paid)s · %(left)s left"), paid, true));
        tipInput.value = "";
        render();
      } else {
        done(change, outcome.status === "sent");
      }
      return null;
    });
    return null;
  }

  // Open this terminal's drawer with the float typed, then take the payment as charged.
  function openDrawer() {
    var float = POS.parseMoney(floatInput.value);
    if (float === null) {
      floatInput.focus();
      return showError(interpolate(gettext("Enter the opening float, e.g. %(example)s."), { example: POS.moneyExample(100) }, true));
    }
    state.busy = true;
    render();
    drawer.key = drawer.key || POS.uuid();
    POS.api.post("/api/v1/shifts/", { opening_float: float }, { key: drawer.key }).then(
      function (opened) {
        POS.toast(interpolate(gettext("Drawer open with %(amount)s"), { amount: POS.money(opened.opening_float) }, true));
        return true;
      },
      function (err) {
        if (err.code === "shift.already_open") return true; // opened elsewhere meanwhile: the payment goes ahead
        if (!POS.api.isTransient(err)) drawer.key = null;
        showError(err.kind === "network" ? gettext("The drawer needs the server: try again when it is back.") : err.message);
        return false;
      }
    ).then(function (opened) {
      state.busy = false;
      if (opened) {
        drawer = { closed: false, key: null };
        floatInput.value = "";
        charge();
      } else {
        render();
      }
    });
    return null;
  }

  function done(change, sent) {
    $("[data-pay-due]", dialog).textContent = POS.money(0);
    $("[data-pay-form-body]", dialog).hidden = true;
    $("[data-pay-done]", dialog).hidden = false;
    $("[data-pay-done-title]", dialog).textContent = sent ? gettext("Paid in full") : gettext("Paid · saved offline, sent when the server is back");
    $("[data-pay-done-change]", dialog).textContent = POS.money(change);
    var receipt = $("[data-pay-receipt]", dialog);
    receipt.hidden = !state.order;
    if (state.order) receipt.href = POS.url("receipt", state.order.id);
  }

  dialog.addEventListener("input", function (event) {
    if (event.target === tipInput || event.target === amountInput) state.tipRefused = false;
    render();
  });
  dialog.addEventListener("click", function (event) {
    var t = event.target;
    var tender = t.closest("[data-tender]");
    var quick = t.closest("[data-quick-cash]");
    var splitButton = t.closest("[data-split]");
    var check = t.closest("[data-check]");
    var assign = t.closest("[data-assign]");
    if (tender) {
      state.tender = tender.getAttribute("data-tender");
      render();
    } else if (quick) {
      tenderedInput.value = POS.moneyText(Number(quick.getAttribute("data-quick-cash")));
      render();
    } else if (splitButton) {
      var mode = splitButton.getAttribute("data-split");
      state.checks = null;
      state.check = null;
      state.splitting = mode === "items" ? "items" : null;
      if (mode === "none") setAmount(state.due);
      else if (mode !== "items") split({ parts: Number(mode) }, mode);
      render();
    } else if (assign) {
      state.assign[assign.getAttribute("data-assign")] = Number(assign.getAttribute("data-to"));
      render();
    } else if (t.closest("[data-assign-parts]")) {
      state.parts = Math.min(6, Math.max(2, state.parts + Number(t.closest("[data-assign-parts]").getAttribute("data-assign-parts"))));
      render();
    } else if (t.closest("[data-assign-make]")) {
      var groups = [];
      state.order.items.filter(function (line) { return !line.voided; }).forEach(function (line) {
        var n = state.assign[line.id] || 1;
        (groups[n - 1] = groups[n - 1] || []).push(line.id);
      });
      split({ groups: groups.filter(Boolean) }, "items");
    } else if (check) {
      pickCheck(Number(check.getAttribute("data-check")));
    } else if (t.closest("[data-pay-charge]")) {
      charge();
    } else if (t.closest("[data-pay-close]")) {
      POS.closeDialog(dialog);
    }
  });

  POS.payment = { open: open };
})();
