// CafePOS terminal: this terminal's cash drawer (/pos/shift/). Open it with a float, put cash in or take it
// out with a reason, close it with the counted cash (after a dialog shows the expected cash, the count and the
// difference) and show the Z report — each through the shifts API with an Idempotency-Key kept until the server
// answers, so a retried tap is never counted twice. The page starts with the drawer's cash movements and expected
// cash (config), and keeps both as cash moves.
(function () {
  "use strict";

  var POS = window.CafePOS;
  var config = POS.config;
  var $ = POS.$, el = POS.el;
  var shift = config.shift;
  var expectedCash = config.expected_cash; // minor units, while a shift is open
  var direction = "in";
  var closeDialog = $("[data-close-dialog]");

  function row(list, label, value, name) {
    var line = el("div", "totals-row");
    line.appendChild(el("dt", null, label));
    var dd = typeof value === "string" ? el("dd", null, value) : value;
    if (name) dd.setAttribute("data-z", name);
    line.appendChild(dd);
    list.appendChild(line);
  }

  // Counted less expected, in words as well as colour: "−€0.87 short", "€0.50 over", or "€0.00".
  function fillVariance(dd, minor) {
    var state = minor < 0 ? "short" : minor > 0 ? "over" : "even";
    var amount = POS.signedMoney(minor);
    dd.textContent = state === "short" ? interpolate(pgettext("cash variance", "%(amount)s short"), { amount: amount }, true)
      : state === "over" ? interpolate(pgettext("cash variance", "%(amount)s over"), { amount: amount }, true)
      : amount;
    dd.className = "variance variance-" + state;
    dd.setAttribute("data-variance", state);
    return dd;
  }

  function renderMovement(moved) {
    var text = interpolate(moved.amount > 0 ? gettext("In %(amount)s · %(reason)s") : gettext("Out %(amount)s · %(reason)s"), { amount: POS.money(Math.abs(moved.amount)), reason: moved.reason }, true);
    $("[data-movements]").appendChild(el("li", null, text));
  }

  function renderZ(closed) {
    var box = $("[data-z-report]");
    box.hidden = !closed;
    if (!closed) return;
    var z = closed.z_report;
    $("[data-z-title]").textContent = interpolate(gettext("Z report · shift %(shift)s · closed %(closed)s"), { shift: z.shift_id, closed: POS.dates.datetime(z.closed_at) }, true);
    var list = $("[data-z-rows]");
    list.textContent = "";
    row(list, gettext("Opening float"), POS.money(z.opening_float), "opening_float");
    var tenderNames = { CASH: gettext("Cash"), CARD: gettext("Card"), OTHER: pgettext("tender", "Other") };
    ["CASH", "CARD", "OTHER"].forEach(function (tender) {
      var t = z.tenders[tender];
      if (t.count) row(list, tenderNames[tender] + " (" + t.count + ")", POS.money(t.amount), "tender-" + tender);
    });
    row(list, gettext("Tips"), POS.money(z.tips_total), "tips_total");
    row(list, gettext("Refunds"), POS.deduction(z.refunds_total), "refunds_total");
    row(list, gettext("Cash in"), POS.money(z.cash_in), "cash_in");
    row(list, gettext("Cash out"), POS.deduction(z.cash_out), "cash_out");
    row(list, interpolate(ngettext("Sales (%(count)s order)", "Sales (%(count)s orders)", z.sales.orders), { count: z.sales.orders }, true), POS.money(z.sales.total), "sales_total");
    row(list, gettext("Discounts"), POS.deduction(z.discounts.amount), "discounts");
    Object.keys(z.tax_by_rate).forEach(function (rate) { row(list, interpolate(gettext("Tax %(rate)s%"), { rate: POS.rate(rate) }, true), POS.money(z.tax_by_rate[rate]), "tax-" + rate); });
    row(list, gettext("Expected cash"), POS.money(z.expected_cash), "expected_cash");
    row(list, gettext("Counted cash"), POS.money(z.counted_cash), "counted_cash");
    row(list, gettext("Variance"), fillVariance(el("dd"), z.variance), "variance");
  }

  function render() {
    $("[data-shift-closed]").hidden = Boolean(shift);
    $("[data-shift-open]").hidden = !shift;
    if (shift) {
      $("[data-shift-summary]").textContent = interpolate(gettext("Open since %(time)s · float %(amount)s"), {
        time: POS.dates.time(shift.opened_at), amount: POS.money(shift.opening_float),
      }, true);
    }
    POS.$$("[data-direction]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-direction") === direction ? "true" : "false");
    });
  }

  // Submit `form` once: its key lives until the server gives an answer (a lost answer is retried with it).
  function submit(form, path, body, done) {
    var error = $("[data-form-error]", form);
    error.hidden = true;
    if (form.getAttribute("data-busy")) return;
    form.setAttribute("data-busy", "yes");
    if (!form.getAttribute("data-key")) form.setAttribute("data-key", POS.uuid());
    POS.api.post(path, body, { key: form.getAttribute("data-key") }).then(
      function (answer) {
        form.removeAttribute("data-key");
        form.reset();
        done(answer);
      },
      function (err) {
        if (!POS.api.isTransient(err)) form.removeAttribute("data-key");
        error.textContent = err.kind === "network" ? gettext("The drawer needs the server: try again when it is back.") : err.message;
        error.hidden = false;
      }
    ).then(function () { form.removeAttribute("data-busy"); });
  }

  function amountOf(form, name) {
    var amount = POS.parseMoney($("[name=" + name + "]", form).value);
    if (amount === null) {
      var error = $("[data-form-error]", form);
      error.textContent = interpolate(gettext("Enter an amount, e.g. %(example)s."), { example: POS.moneyExample(100) }, true);
      error.hidden = false;
    }
    return amount;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-open-form")) {
      event.preventDefault();
      var float = amountOf(form, "opening_float");
      if (float === null) return;
      submit(form, "/api/v1/shifts/", { opening_float: float }, function (opened) {
        shift = opened;
        expectedCash = opened.opening_float;
        POS.toast(interpolate(gettext("Drawer open with %(amount)s"), { amount: POS.money(opened.opening_float) }, true));
        render();
      });
    } else if (form.hasAttribute("data-move-form")) {
      event.preventDefault();
      var amount = amountOf(form, "amount");
      if (amount === null) return;
      var reason = $("[name=reason]", form).value.trim();
      var signed = direction === "in" ? amount : -amount;
      submit(form, "/api/v1/shifts/" + shift.id + "/cash-movements/", { amount: signed, reason: reason }, function (moved) {
        renderMovement(moved);
        expectedCash += moved.amount;
        POS.toast(interpolate(moved.amount > 0 ? gettext("Cash in: %(amount)s") : gettext("Cash out: %(amount)s"), { amount: POS.money(Math.abs(moved.amount)) }, true));
      });
    } else if (form.hasAttribute("data-close-form")) {
      event.preventDefault();
      var counted = amountOf(form, "counted_cash");
      if (counted === null) return;
      $("[data-close-expected]", closeDialog).textContent = POS.money(expectedCash);
      $("[data-close-counted]", closeDialog).textContent = POS.money(counted);
      fillVariance($("[data-close-variance]", closeDialog), counted - expectedCash);
      POS.openDialog(closeDialog);
    }
  });

  function closeShift() {
    var form = $("[data-close-form]");
    var counted = amountOf(form, "counted_cash");
    if (counted === null) return;
    submit(form, "/api/v1/shifts/" + shift.id + "/close/", { counted_cash: counted }, function (closed) {
      shift = null;
      expectedCash = null;
      $("[data-movements]").textContent = "";
      render();
      renderZ(closed);
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-dialog-close]")) {
      POS.closeDialog(closeDialog);
    } else if (event.target.closest("[data-close-confirm]")) {
      POS.closeDialog(closeDialog);
      closeShift();
    }
    var button = event.target.closest("[data-direction]");
    if (!button) return;
    direction = button.getAttribute("data-direction");
    render();
  });

  config.movements.forEach(renderMovement);
  render();
  renderZ(shift ? null : config.last_closed);
})();
