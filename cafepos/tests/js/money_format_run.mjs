// The page's money_format.js run in Node on cases read from stdin (cafepos/tests/test_money_format_js.py):
// {"specs": {key: spec}, "format": [[key, minor as a string]], "parse": [[key, text]]} → the page's answers.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const window = {};
vm.runInNewContext(readFileSync(new URL("../../static/cafepos/money_format.js", import.meta.url), "utf8"), { window });
const money = window.CafePOSMoney;
const cases = JSON.parse(readFileSync(0, "utf8"));
const answers = {
  format: cases.format.map(([key, minor]) => money.format(cases.specs[key], BigInt(minor))),
  formatDecimal: (cases.formatDecimal || []).map(([key, text]) => money.formatDecimal(cases.specs[key], text)),
  parse: (cases.parse || []).map(([key, text]) => JSON.parse(JSON.stringify(money.parse(cases.specs[key], text)))),
  editText: (cases.editText || []).map(([key, minor]) => money.editText(cases.specs[key], BigInt(minor))),
};
process.stdout.write(JSON.stringify(answers));
