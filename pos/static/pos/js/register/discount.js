// The register's discount dialog: a percentage or an amount with its reason; above the location's approval
// threshold (a cashier's), a manager chooses themself and types their PIN, which stays in the page's memory.
(window.CafePOS.registerDialogs = window.CafePOS.registerDialogs || {}).discount = function (POS, register) {
  "use strict";

  var $ = POS.$, config = POS.config;

  var discountDialog = $("[data-discount-dialog]");
  var discountMode = "percent";
  var discountApproval = POS.approval(discountDialog);
  var discountError = POS.showAlert.bind(null, $("[data-discount-error]", discountDialog));

  function parsePercent(text) {
    var match = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*$/.exec(text || "");
    if (!match) return null;
    var value = match[1] + "." + ((match[2] || "") + "00").slice(0, 2);
    return Number(match[1]) > 100 || value === "0.00" ? null : value;
  }

  function draftDiscount() {
    var value = $("[data-discount-value]", discountDialog).value;
    var reason = $("[data-discount-reason]", discountDialog).value.trim();
    if (discountMode === "percent") {
      var percent = parsePercent(value);
      return percent ? { percent: percent, reason: reason } : null;
    }
    var amount = POS.parseMoney(value);
    return amount ? { amount: amount, reason: reason } : null;
  }

  function renderDiscount() {
    POS.$$("[data-discount-mode]", discountDialog).forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-discount-mode") === discountMode ? "true" : "false");
    });
    $("[data-discount-unit]", discountDialog).textContent = discountMode === "percent" ? "%" : config.location.currency;
    discountApproval.show(register.discountNeedsApproval(draftDiscount()));
  }

  function openDiscount() {
    var d = register.cart().discount;
    discountMode = d && d.amount ? "amount" : "percent";
    $("[data-discount-value]", discountDialog).value = d ? (d.amount ? POS.moneyText(d.amount) : d.percent.replace(".", config.money.decimal)) : "";
    $("[data-discount-reason]", discountDialog).value = d ? d.reason : "";
    discountApproval.reset(d && d.approval ? d.approval.manager_id : null);
    discountError("");
    renderDiscount();
    POS.openDialog(discountDialog);
  }

  discountDialog.addEventListener("input", renderDiscount);
  discountDialog.addEventListener("click", function (event) {
    var mode = event.target.closest("[data-discount-mode]");
    var quick = event.target.closest("[data-discount-quick]");
    if (mode) {
      discountMode = mode.getAttribute("data-discount-mode");
      renderDiscount();
    } else if (quick) {
      discountMode = "percent";
      $("[data-discount-value]", discountDialog).value = quick.getAttribute("data-discount-quick");
      renderDiscount();
    } else if (event.target.closest("[data-discount-remove]")) {
      register.cart().discount = null;
      POS.closeDialog(discountDialog);
      register.changed();
    } else if (event.target.closest("[data-discount-apply]")) {
      var draft = draftDiscount();
      if (!draft) return discountError(discountMode === "percent" ? gettext("Enter a percentage above 0 and at most 100.") : gettext("Enter an amount."));
      if (!draft.reason) return discountError(gettext("Give a reason for the discount."));
      if (draft.amount && draft.amount > register.localTotals().subtotal) return discountError(gettext("The discount is more than the subtotal."));
      if (register.discountNeedsApproval(draft)) {
        draft.approval = discountApproval.read();
        if (!draft.approval) {
          return discountError(interpolate(gettext("Above %(percent)s% a manager approves: choose the manager and enter their PIN."), { percent: config.location.discount_approval_percent }, true));
        }
      }
      var cart = register.cart();
      cart.discount = draft;
      cart.refusal = null;
      POS.closeDialog(discountDialog);
      register.changed();
    } else if (event.target.closest("[data-dialog-close]")) {
      POS.closeDialog(discountDialog);
    }
    return null;
  });

  return { open: openDiscount };
};
