// The register's tip dialog: an amount or a share of the subtotal; above the location's max_tip_percent of the
// order's total before the tip (or when the server asked), a manager approves with their PIN.
(window.CafePOS.registerDialogs = window.CafePOS.registerDialogs || {}).tip = function (POS, register) {
  "use strict";

  var $ = POS.$, config = POS.config;

  var tipDialog = $("[data-tip-dialog]");
  var tipInput = $("[data-tip-value]", tipDialog);
  var tipApproval = POS.approval(tipDialog);
  var tipError = POS.showAlert.bind(null, $("[data-tip-error]", tipDialog));

  function draftTip() {
    return tipInput.value.trim() ? POS.parseMoney(tipInput.value) : 0;
  }

  // The dialog asks a manager for this tip: above the cap, or the one the server refused without a manager.
  function draftTipAsked(tip) {
    var cart = register.cart();
    return register.tipNeedsApproval(tip) || Boolean(tip && cart.tip_refused && tip === cart.tip);
  }

  function renderTip() {
    tipApproval.show(draftTipAsked(draftTip()));
  }

  function openTip() {
    var cart = register.cart();
    tipInput.value = cart.tip ? POS.moneyText(cart.tip) : "";
    tipApproval.reset(cart.tip_approval ? cart.tip_approval.manager_id : null);
    tipError("");
    renderTip();
    POS.openDialog(tipDialog);
  }

  tipDialog.addEventListener("input", renderTip);
  tipDialog.addEventListener("click", function (event) {
    var quick = event.target.closest("[data-tip-percent]");
    if (quick) {
      var base = register.localTotals().subtotal;
      tipInput.value = POS.moneyText(POS.pricing.divRound(base * Number(quick.getAttribute("data-tip-percent")), 100));
      renderTip();
    } else if (event.target.closest("[data-tip-apply]")) {
      var tip = draftTip();
      if (tip === null) return tipError(gettext("Enter the tip as an amount."));
      var approval = null;
      if (draftTipAsked(tip)) {
        approval = tipApproval.read();
        if (!approval) {
          return tipError(interpolate(gettext("A tip above %(percent)s% of the order needs a manager's approval: choose the manager and enter their PIN."), { percent: config.location.max_tip_percent }, true));
        }
      }
      var cart = register.cart();
      cart.tip_refused = cart.tip_refused && tip === cart.tip;
      cart.tip = tip;
      cart.tip_approval = approval;
      cart.refusal = null;
      POS.closeDialog(tipDialog);
      register.changed();
    } else if (event.target.closest("[data-dialog-close]")) {
      POS.closeDialog(tipDialog);
    }
    return null;
  });

  return { open: openTip };
};
