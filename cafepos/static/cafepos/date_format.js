// CafePOS dates and times as the reader writes them, in the location's time zone: the twin of
// cafepos/formatting.py's short formats (plain script). The patterns are Babel's (CLDR) for the page's locale,
// handed over in the page's config (`date_format_spec`); the browser is asked only for the wall clock in the
// location's zone (Intl's tz data, with a fixed numeric locale), never for its own formats.
//
//   var dates = window.CafePOSDates.formatter(config.dates);
//   dates.datetime("2026-12-04T20:09:32Z"); // "04.12.26, 21:09" (de_DE, Europe/Berlin)
//   dates.time(isoText); dates.date(isoText);
(function () {
  "use strict";

  var TOKENS = /'((?:[^']|'')*)'|''|([a-zA-Z])\2*|[^a-zA-Z']+/g;

  function pad(value, width) {
    var text = String(value);
    while (text.length < width) text = "0" + text;
    return text;
  }

  function wallClock(zone) {
    var parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric",
    });
    return function (when) {
      var fields = {};
      parts.formatToParts(new Date(when)).forEach(function (part) { fields[part.type] = Number(part.value); });
      return fields;
    };
  }

  function field(spec, clock, token) {
    var n = token.length;
    switch (token.charAt(0)) {
      case "y": return n === 2 ? pad(clock.year % 100, 2) : pad(clock.year, n);
      case "M": return pad(clock.month, n);
      case "d": return pad(clock.day, n);
      case "H": return pad(clock.hour % 24, n);
      case "h": return pad(clock.hour % 12 || 12, n);
      case "m": return pad(clock.minute, n);
      case "s": return pad(clock.second, n);
      case "a": return clock.hour < 12 ? spec.am : spec.pm;
      default: throw new RangeError("date pattern field not handed over: " + token);
    }
  }

  // A CLDR pattern applied to the wall clock: letters are fields, quoted text is literal ('' is a quote).
  function apply(spec, pattern, clock) {
    return pattern.replace(TOKENS, function (token, quoted) {
      if (quoted !== undefined) return quoted.replace(/''/g, "'");
      if (token === "''") return "'";
      return /^[a-zA-Z]/.test(token) ? field(spec, clock, token) : token;
    });
  }

  window.CafePOSDates = {
    formatter: function (spec) {
      var clockOf = wallClock(spec.time_zone);
      var date = function (when) { return apply(spec, spec.date, clockOf(when)); };
      var time = function (when) { return apply(spec, spec.time, clockOf(when)); };
      return {
        spec: spec,
        date: date,
        time: time,
        datetime: function (when) { return spec.datetime.replace("{0}", time(when)).replace("{1}", date(when)); },
      };
    },
  };
})();
