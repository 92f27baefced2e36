// The register's customer dialog for a delivery: name, phone, email and address.
(window.CafePOS.registerDialogs = window.CafePOS.registerDialogs || {}).customer = function (POS, register) {
  "use strict";

  var $ = POS.$;

  var customerDialog = $("[data-customer-dialog]");
  customerDialog.addEventListener("click", function (event) {
    if (event.target.closest("[data-customer-save]")) {
      ["name", "phone", "email", "address"].forEach(function (field) {
        register.cart().customer[field] = $("[data-customer=" + field + "]", customerDialog).value.trim();
      });
      POS.closeDialog(customerDialog);
      register.changed();
    } else if (event.target.closest("[data-dialog-close]")) {
      POS.closeDialog(customerDialog);
    }
  });

  function openCustomer() {
    ["name", "phone", "email", "address"].forEach(function (field) {
      $("[data-customer=" + field + "]", customerDialog).value = register.cart().customer[field] || "";
    });
    POS.openDialog(customerDialog);
  }

  return { open: openCustomer };
};
