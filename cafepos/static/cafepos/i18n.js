// CafePOS page translations: the page's JavaScript says every human text through these globals, so that
// `makemessages -d djangojs` finds the literal calls and the page shows the active language.
//
//   gettext("Sent")                                   // "Gesendet" in German
//   pgettext("drawer", "Open")                        // the word in one context
//   ngettext("%(count)s item", "%(count)s items", n)  // the plural form of the language for n
//   interpolate(gettext("Table %(label)s"), { label: "T4" }, true)
//
// The catalog comes from the server in the page's `json_script` block "js-catalog" ({language, catalog},
// cafepos/js_catalog.py): the strict CSP forbids inline script and eval, so the plural rule cannot travel as an
// expression to evaluate. It is a function per shipped language here instead, the same rules as the catalogs'
// Plural-Forms (makemessages copies them from Django's own catalogs): English, German, Italian, Portuguese and
// Dutch have 2 forms, French 2 (0 is singular), Spanish 3 (a million and its multiples take the "many" form),
// Arabic 6 (zero, one, two, few, many, other). A language not listed uses English's. With no catalog (Node
// tests, a page without the block) every text stays English.
(function (root) {
  "use strict";

  var PLURAL_RULES = {
    en: function (n) { return n !== 1 ? 1 : 0; },
    fr: function (n) { return n > 1 ? 1 : 0; },
    es: function (n) { return n === 1 ? 0 : n !== 0 && n % 1000000 === 0 ? 1 : 2; },
    ar: function (n) {
      if (n === 0) return 0;
      if (n === 1) return 1;
      if (n === 2) return 2;
      if (n % 100 >= 3 && n % 100 <= 10) return 3;
      if (n % 100 >= 11 && n % 100 <= 99) return 4;
      return 5;
    },
  };
  PLURAL_RULES.de = PLURAL_RULES.it = PLURAL_RULES.pt = PLURAL_RULES.nl = PLURAL_RULES.en;
  var CONTEXT_SEPARATOR = "\x04";

  function readCatalog() {
    var node = typeof document !== "undefined" && document.getElementById("js-catalog");
    return node ? JSON.parse(node.textContent) : { language: "en", catalog: {} };
  }

  function pluralRule(language) {
    var code = String(language || "en").toLowerCase();
    return PLURAL_RULES[code] || PLURAL_RULES[code.split(/[-_]/)[0]] || PLURAL_RULES.en;
  }

  var data = readCatalog();
  var catalog = data.catalog || {};
  var pluralIndex = pluralRule(data.language);

  function gettext(msgid) {
    var value = catalog[msgid];
    if (value === undefined || value === "") return msgid;
    return typeof value === "string" ? value : value[0];
  }

  function ngettext(singular, plural, count) {
    var forms = catalog[singular];
    var form = Array.isArray(forms) ? forms[pluralIndex(count)] : undefined;
    if (form) return form;
    return count === 1 ? singular : plural;
  }

  function pgettext(context, msgid) {
    var value = gettext(context + CONTEXT_SEPARATOR + msgid);
    return value.indexOf(CONTEXT_SEPARATOR) === -1 ? value : msgid;
  }

  function npgettext(context, singular, plural, count) {
    var value = ngettext(context + CONTEXT_SEPARATOR + singular, context + CONTEXT_SEPARATOR + plural, count);
    return value.indexOf(CONTEXT_SEPARATOR) === -1 ? value : count === 1 ? singular : plural;
  }

  // "%(name)s" from an object when `named`, else "%s" in turn from an array.
  function interpolate(format, values, named) {
    if (named) return format.replace(/%\(\w+\)s/g, function (match) { return String(values[match.slice(2, -2)]); });
    var next = 0;
    return format.replace(/%s/g, function () { return String(values[next++]); });
  }

  root.gettext = gettext;
  root.ngettext = ngettext;
  root.pgettext = pgettext;
  root.npgettext = npgettext;
  root.interpolate = interpolate;
  root.CafePOSI18n = { pluralRule: pluralRule, language: data.language };
})(typeof window !== "undefined" ? window : globalThis);
