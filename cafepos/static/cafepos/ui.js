// CafePOS page helpers shared by the POS pages and the kitchen display (plain script, after cafepos/i18n.js and
// before the page's own):
// elements whose text is always set as text (never parsed as HTML), a toast that hides itself, and the names
// of the order types.
//
//   var UI = window.CafePOSUI;
//   UI.el("span", "ticket-name", item.name);
//   var toast = UI.toaster(document.querySelector("[data-toast]"), 4000);
//   toast("Sent", "error");               // shown for 4 s; a kind adds the class toast-<kind>
//   UI.orderTypeName("DINE_IN");          // "Dine in"
(function () {
  "use strict";

  var ORDER_TYPE_NAMES = { DINE_IN: gettext("Dine in"), TAKEAWAY: gettext("Takeaway"), DELIVERY: gettext("Delivery") };

  window.CafePOSUI = {
    el: function (tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined && text !== null) node.textContent = String(text);
      return node;
    },

    toaster: function (node, shownMs) {
      var baseClass = node.className;
      var timer = null;
      return function (text, kind) {
        node.textContent = text;
        node.className = baseClass + (kind ? " toast-" + kind : "");
        node.hidden = false;
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { node.hidden = true; }, shownMs);
      };
    },

    orderTypeName: function (type) { return ORDER_TYPE_NAMES[type] || type; },
  };
})();
