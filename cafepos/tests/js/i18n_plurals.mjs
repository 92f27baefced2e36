// cafepos/static/cafepos/i18n.js in Node: the plural form it picks for each shipped language, and its lookups.
// `EXPECTED` (JSON in the environment, from cafepos/tests/test_i18n_js.py) is language → n → the index the
// catalogs' own Plural-Forms give; without it, the hand-written table below.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import vm from "node:vm";

const source = readFileSync(new URL("../../static/cafepos/i18n.js", import.meta.url), "utf8");

function load(catalog) {
  const page = {
    document: { getElementById: (id) => (id === "js-catalog" && catalog ? { textContent: JSON.stringify(catalog) } : null) },
  };
  page.window = page;
  vm.createContext(page);
  vm.runInContext(source, page);
  return page;
}

const HAND_WORKED = {
  en: { 0: 1, 1: 0, 2: 1, 3: 1, 11: 1, 100: 1 },
  fr: { 0: 0, 1: 0, 2: 1, 3: 1, 11: 1, 100: 1 },
  es: { 0: 2, 1: 0, 2: 2, 3: 2, 11: 2, 100: 2, 1000000: 1 },
  ar: { 0: 0, 1: 1, 2: 2, 3: 3, 11: 4, 100: 5, 102: 5, 103: 3, 111: 4 },
};
const expected = process.env.EXPECTED ? JSON.parse(process.env.EXPECTED) : HAND_WORKED;

test("it loads without a document (as in Node) and keeps English", () => {
  const page = vm.createContext({});
  vm.runInContext(source, page);
  assert.equal(page.gettext("Send"), "Send");
  assert.equal(page.ngettext("%(count)s seat", "%(count)s seats", 1), "%(count)s seat");
  assert.equal(page.ngettext("%(count)s seat", "%(count)s seats", 2), "%(count)s seats");
});

for (const [language, indices] of Object.entries(expected)) {
  test(`plural forms in ${language}`, () => {
    const rule = load({ language, catalog: {} }).CafePOSI18n.pluralRule(language);
    for (const [n, index] of Object.entries(indices)) assert.equal(rule(Number(n)), index, `${language}, n = ${n}`);
  });
}

test("a catalog's texts, plural forms, contexts and placeholders", () => {
  const forms = ["صفر", "واحد", "اثنان", "قليل", "كثير", "آخر"];
  const page = load({
    language: "ar",
    catalog: { "Sold out": "نفد", "%(count)s seat": forms, "table status\x04Free": "متاح", "Table %(label)s": "طاولة %(label)s" },
  });
  assert.equal(page.gettext("Sold out"), "نفد");
  assert.equal(page.gettext("Not in the catalog"), "Not in the catalog");
  assert.deepEqual([0, 1, 2, 3, 11, 100].map((n) => page.ngettext("%(count)s seat", "%(count)s seats", n)), forms);
  assert.equal(page.pgettext("table status", "Free"), "متاح");
  assert.equal(page.pgettext("drawer", "Free"), "Free");
  assert.equal(page.interpolate(page.gettext("Table %(label)s"), { label: "T4" }, true), "طاولة T4");
  assert.equal(page.interpolate("%s of %s", [1, 2]), "1 of 2");
});
