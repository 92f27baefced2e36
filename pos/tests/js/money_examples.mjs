// The page's pricing.js held to the hand-worked money table (orders/tests/money_examples.json), in Node:
// `node --test pos/tests/js/money_examples.mjs` (pos/tests/test_pricing_js.py runs it in `make test`).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import vm from "node:vm";

const here = new URL(".", import.meta.url);
const examples = JSON.parse(readFileSync(new URL("../../../orders/tests/money_examples.json", here), "utf8"));
const window = { CafePOS: {} };
vm.runInNewContext(readFileSync(new URL("../../static/pos/js/pricing.js", here), "utf8"), { window });
const pricing = window.CafePOS.pricing;
// Arrays and objects made inside the page's context, as plain values of this one (for deepEqual).
const plain = (value) => JSON.parse(JSON.stringify(value));

// "3.825" in a currency of 3 minor digits → 3825, exactly (no floating point).
function minor(text, digits) {
  const [whole, fraction = ""] = String(text).replace("-", "").split(".");
  const value = Number(whole) * 10 ** digits + Number((fraction + "000").slice(0, digits) || 0);
  return String(text).startsWith("-") ? -value : value;
}

for (const cart of examples.carts) {
  test(cart.name, () => {
    const digits = examples.minor_digits[cart.currency];
    const lines = cart.lines.map((line) => ({
      unit_price: minor(line.price, digits),
      modifiers: [],
      quantity: line.quantity,
      tax_rate: line.tax_rate,
    }));
    const discount = cart.discount
      ? "percent" in cart.discount
        ? { percent: cart.discount.percent }
        : { amount: minor(cart.discount.amount, digits) }
      : null;
    const got = pricing.totals(lines, discount, minor(cart.tip || "0", digits), cart.tax_mode);
    const expect = cart.expect;
    const m = (text) => minor(text, digits);
    assert.equal(got.subtotal, m(expect.subtotal), "subtotal");
    assert.equal(got.discount_total, m(expect.discount), "discount");
    assert.equal(got.tax_total, m(expect.tax_total), "tax_total");
    assert.equal(got.total, m(expect.total), "total");
    if (expect.tip) assert.equal(got.tip_total, m(expect.tip), "tip");
    assert.deepEqual(
      plain(got.taxes),
      Object.entries(expect.taxes).map(([rate, amount]) => ({ rate, amount: m(amount) })),
      "taxes by rate",
    );
    if (expect.discount_per_line) {
      const shares = pricing.allocate(got.discount_total, lines.map(pricing.lineTotal));
      assert.deepEqual(plain(shares), expect.discount_per_line.map(m), "discount per line");
    }
  });
}

test("division rounds half away from zero", () => {
  for (const { n, d, expect } of examples.divide) assert.equal(pricing.divRound(n, d), expect, `${n}/${d}`);
});
