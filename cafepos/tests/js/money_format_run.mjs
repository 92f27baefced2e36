// The page's money_format.js and date_format.js run in Node on cases read from stdin (cafepos/tests/money_js.py):
// {"specs": {key: spec}, "format": [[key, minor as a string]], "parse": [[key, text]], "dates": [[key, kind,
// ISO text]], ...} → the page's answers, in the same order.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const window = {};
for (const script of ["money_format.js", "date_format.js"]) {
  const source = readFileSync(new URL(`../../static/cafepos/${script}`, import.meta.url), "utf8");
  vm.runInNewContext(source, { window, Intl, Date });
}
const money = window.CafePOSMoney;
const cases = JSON.parse(readFileSync(0, "utf8"));
const answers = {
  format: cases.format.map(([key, minor]) => money.format(cases.specs[key], BigInt(minor))),
  formatDecimal: (cases.formatDecimal || []).map(([key, text]) => money.formatDecimal(cases.specs[key], text)),
  parse: (cases.parse || []).map(([key, text]) => JSON.parse(JSON.stringify(money.parse(cases.specs[key], text)))),
  rate: (cases.rate || []).map(([key, text]) => money.rate(cases.specs[key], text)),
  editText: (cases.editText || []).map(([key, minor]) => money.editText(cases.specs[key], BigInt(minor))),
  signed: (cases.signed || []).map(([key, minor]) => money.formatter(cases.specs[key]).signed(minor)),
  deduction: (cases.deduction || []).map(([key, minor]) => money.formatter(cases.specs[key]).deduction(minor)),
  dates: (cases.dates || []).map(([key, kind, when]) => window.CafePOSDates.formatter(cases.specs[key])[kind](when)),
};
process.stdout.write(JSON.stringify(answers));
