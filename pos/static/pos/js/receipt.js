// CafePOS terminal: the receipt's Print button (browser printing to the 80 mm thermal printer).
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
