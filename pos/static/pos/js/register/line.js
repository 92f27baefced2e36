// The register's line dialog: a cart line's quantity (1 to 999) and its note for the kitchen, or remove it.
(window.CafePOS.registerDialogs = window.CafePOS.registerDialogs || {}).line = function (POS, register) {
  "use strict";

  var $ = POS.$;

  var lineDialog = $("[data-line-dialog]");
  var editing = null;

  function openLine(uid) {
    editing = register.cart().lines.find(function (line) { return line.uid === uid; });
    if (!editing) return;
    $("[data-line-title]", lineDialog).textContent = editing.name;
    $("[data-line-qty]", lineDialog).value = editing.quantity;
    $("[data-line-note]", lineDialog).value = editing.note;
    POS.openDialog(lineDialog);
  }

  lineDialog.addEventListener("click", function (event) {
    var qty = $("[data-line-qty]", lineDialog);
    if (event.target.closest("[data-line-dec]")) qty.value = Math.max(1, Number(qty.value) - 1);
    else if (event.target.closest("[data-line-inc]")) qty.value = Math.min(POS.config.limits.max_quantity, Number(qty.value) + 1);
    else if (event.target.closest("[data-line-remove]")) {
      var cart = register.cart();
      cart.lines = cart.lines.filter(function (line) { return line !== editing; });
      POS.closeDialog(lineDialog);
      register.changed();
    } else if (event.target.closest("[data-line-save]")) {
      editing.quantity = Math.min(POS.config.limits.max_quantity, Math.max(1, parseInt(qty.value, 10) || 1));
      editing.note = $("[data-line-note]", lineDialog).value.trim().slice(0, POS.config.limits.max_line_note);
      POS.closeDialog(lineDialog);
      register.changed();
    } else if (event.target.closest("[data-dialog-close]")) {
      POS.closeDialog(lineDialog);
    }
  });

  return { open: openLine };
};
