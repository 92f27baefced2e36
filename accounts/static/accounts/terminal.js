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

  // The pad from a keyboard, wherever the focus is (a staff tile, a key): digits fill the PIN, Backspace deletes
  // one, Enter signs in. The PIN field itself and the manager unlock take their keys as usual.
  document.addEventListener("keydown", function (event) {
    var pin = document.getElementById("pin");
    var target = event.target;
    if (!pin || event.altKey || event.ctrlKey || event.metaKey || target === pin) return;
    if (target.closest(".unlock") || target.matches("input[type=text], input[type=password], select, textarea")) return;
    var max = pin.maxLength > 0 ? pin.maxLength : 6;
    if (/^[0-9]$/.test(event.key)) {
      if (pin.value.length < max) pin.value += event.key;
    } else if (event.key === "Backspace") {
      pin.value = pin.value.slice(0, -1);
    } else if (event.key === "Enter" && !target.closest("button, a, summary")) {
      pin.form.requestSubmit();
    } else {
      return;
    }
    event.preventDefault();
  });

  // Picking another staff tile starts a fresh PIN.
  document.addEventListener("change", function (event) {
    if (event.target.name !== "staff") return;
    var pin = document.getElementById("pin");
    if (pin) pin.value = "";
  });
})();
