// CafePOS terminal pages: the on-screen PIN pad. The pages work without it (the PIN field accepts typing).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("click", function (event) {
    var key = event.target.closest("[data-key]");
    if (!key) return;
    var pad = key.closest("[data-keypad-for]");
    var input = pad && document.getElementById(pad.getAttribute("data-keypad-for"));
    if (!input) return;
    var value = key.getAttribute("data-key");
    var max = input.maxLength > 0 ? input.maxLength : 6;
    if (value === "clear") {
      input.value = "";
    } else if (value === "back") {
      input.value = input.value.slice(0, -1);
    } else if (input.value.length < max) {
      input.value += value;
    }
  });

  // Picking another staff tile starts a fresh PIN.
  document.addEventListener("change", function (event) {
    if (event.target.name !== "staff") return;
    var pin = document.getElementById("pin");
    if (pin) pin.value = "";
  });
})();
