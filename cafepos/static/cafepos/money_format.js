// CafePOS money as the reader writes it, the twin of cafepos/formatting.py (plain script, before the page's
// own). It prints with the spec the server hands over (`money_format_spec`: Babel's pattern and symbols, in the
// page's json_script config), never with the browser's Intl, whose CLDR differs: server and page print the same
// string, byte for byte (cafepos/tests/test_money_format_js.py). Amounts are integers of minor units.
//
//   var money = window.CafePOSMoney.formatter(config.money);
//   money.format(123450);        // "1.234,50 €" (de_DE, EUR); BigInt accepted for sums beyond 2^53
//   money.formatDecimal("-3.5"); // "-3,50 €" (a Decimal string in major units, rounded half up)
//   money.signed(-87);           // "−0,87 €" (the minus sign U+2212: a difference, such as a till's variance)
//   money.deduction(87);         // "−0,87 €", and deduction(0) is "0,00 €": what a statement takes off
//   money.editText(450);         // "4,50": for an editable field (no grouping, no symbol)
//   money.parse("4,50");         // {value: 450}; "4.50" too; {error: "empty" | "invalid" | "ambiguous" | "places"}
(function () {
  "use strict";

  var QUOTED = /'([^']*)'/g; // Babel's last step: quoted literal text loses its quotes ('' is one quote)
  var MAX_INPUT = 32;

  function zeros(n) { return new Array(n + 1).join("0"); }

  // Babel's NumberPattern._format_int: the primary group size from the right, then the secondary.
  function grouped(spec, digits) {
    if (digits.length < spec.min_int) digits = zeros(spec.min_int - digits.length) + digits;
    var size = spec.grouping[0], out = "";
    while (digits.length > size) {
      out = spec.group + digits.slice(-size) + out;
      digits = digits.slice(0, -size);
      size = spec.grouping[1];
    }
    return digits + out;
  }

  // `trueMinus`: a negative amount takes the minus sign U+2212 where the locale writes a hyphen-minus, as a
  // statement's deductions and differences read ("−€0.87"); other figures print exactly as the server's do.
  function format(spec, minor, trueMinus) {
    var n = BigInt(minor);
    var negative = n < BigInt(0);
    var text = (negative ? -n : n).toString();
    var digits = spec.digits;
    var whole = text.length > digits ? text.slice(0, text.length - digits) : "0";
    var number = grouped(spec, whole) + (digits ? spec.decimal + (zeros(digits) + text).slice(-digits) : "");
    var affixes = negative ? spec.negative : spec.positive;
    if (negative && trueMinus) affixes = affixes.map(function (affix) { return affix.replace("-", "\u2212"); });
    return (affixes[0] + number + affixes[1]).replace(QUOTED, function (_, inner) { return inner || "'"; });
  }

  // "-12.345" (major units) → minor units as a BigInt, rounded half away from zero; null if not a decimal.
  function decimalToMinor(spec, text) {
    var match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
    if (!match) return null;
    var fraction = match[3] || "";
    var kept = (fraction + zeros(spec.digits)).slice(0, spec.digits);
    var value = BigInt(match[2] + kept);
    if (fraction.length > spec.digits && fraction.charAt(spec.digits) >= "5") value += BigInt(1);
    return match[1] ? -value : value;
  }

  function formatDecimal(spec, text) {
    var minor = decimalToMinor(spec, text);
    if (minor === null) throw new RangeError("not a decimal amount: " + text);
    return format(spec, minor);
  }

  function editText(spec, minor) {
    var n = BigInt(minor), negative = n < BigInt(0), text = (negative ? -n : n).toString();
    if (!spec.digits) return (negative ? "-" : "") + text;
    var whole = text.length > spec.digits ? text.slice(0, text.length - spec.digits) : "0";
    return (negative ? "-" : "") + whole + spec.decimal + (zeros(spec.digits) + text).slice(-spec.digits);
  }

  // Whether digit runs `runs` (the integer part) are grouped as the locale groups: 1,234,567 or 12,34,567.
  function wellGrouped(spec, runs) {
    for (var i = runs.length - 1, size = spec.grouping[0]; i > 0; i--, size = spec.grouping[1]) {
      if (runs[i].length !== size) return false;
    }
    return runs[0].length >= 1 && runs[0].length <= (runs.length > 1 ? size : Infinity);
  }

  // An amount typed by a person: the locale's decimal symbol or a point, the locale's grouping optional but
  // right where it is used. A separator that reads as both (a point in German, with a 3-digit currency) is
  // refused as ambiguous rather than guessed.
  function parse(spec, text) {
    var s = String(text === undefined || text === null ? "" : text).trim();
    if (!s) return { error: "empty" };
    if (s.length > MAX_INPUT) return { error: "invalid" };
    if (/\s/.test(spec.group)) s = s.replace(/[\s\u00a0\u202f]/g, spec.group);
    var match = /^\d+(?:\D\d+)*$/.exec(s);
    if (!match) return { error: "invalid" };
    var runs = s.split(/\D/), seps = s.replace(/\d+/g, "").split("");
    var readings = [];
    // Every separator a group symbol: an integer.
    if (seps.every(function (c) { return c === spec.group; }) && wellGrouped(spec, runs)) readings.push([runs.join(""), ""]);
    // The last separator the decimal point, the others group symbols.
    var last = seps[seps.length - 1];
    if (seps.length && (last === spec.decimal || last === ".")) {
      var whole = runs.slice(0, -1), fraction = runs[runs.length - 1];
      var groupsOk = seps.slice(0, -1).every(function (c) { return c === spec.group; }) && wellGrouped(spec, whole);
      if (groupsOk && fraction.length <= spec.digits) readings.push([whole.join(""), fraction]);
      else if (groupsOk && !readings.length) return { error: "places" };
    }
    if (!readings.length) return { error: "invalid" };
    if (readings.length > 1) return { error: "ambiguous" };
    var minor = BigInt(readings[0][0] + (readings[0][1] + zeros(spec.digits)).slice(0, spec.digits));
    if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { error: "invalid" };
    return { value: Number(minor) };
  }

  // A tax rate ("5.50") as the locale writes a number, trailing zeros dropped: "5,5" in German (formatting.py's
  // format_rate, Babel's "0.##").
  function rate(spec, text) {
    var parts = String(text).split(".");
    var fraction = (parts[1] || "").replace(/0+$/, "");
    return parts[0] + (fraction ? spec.decimal + fraction : "");
  }

  window.CafePOSMoney = {
    format: format,
    rate: rate,
    formatDecimal: formatDecimal,
    editText: editText,
    parse: parse,
    formatter: function (spec) {
      return {
        spec: spec,
        format: function (minor) { return format(spec, minor || 0); },
        signed: function (minor) { return format(spec, minor || 0, true); },
        deduction: function (minor) { return format(spec, -BigInt(minor || 0), true); },
        formatDecimal: function (text) { return formatDecimal(spec, text); },
        editText: function (minor) { return editText(spec, minor || 0); },
        parse: function (text) { return parse(spec, text); },
        rate: function (text) { return rate(spec, text); },
      };
    },
  };
})();
