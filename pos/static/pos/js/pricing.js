// CafePOS terminal: the cart's totals computed in the page, with the same rules as orders/services/pricing.py
// (so the screen updates with no round trip, and offline orders show totals). They are shown as provisional
// until the server's quote confirms them; the server's numbers always win. All money in minor units.
//
// Rules: a line costs (price + modifier deltas) × quantity; the discount (a percentage of the subtotal, or an
// amount capped at it) is spread over the lines in proportion to their value by largest remainder; each
// line's tax is computed on what is left — inclusive: net × r / (100 + r), exclusive: net × r / 100 — rounded
// half up; total = subtotal − discount (+ tax when exclusive) + tip.
(function () {
  "use strict";

  var POS = window.CafePOS;

  // n / d rounded half away from zero, as Python's ROUND_HALF_UP does (n, d integers, d > 0).
  function divRound(n, d) {
    var sign = n < 0 ? -1 : 1;
    return sign * Math.floor((2 * Math.abs(n) + d) / (2 * d));
  }

  // "10.00" → 1000 (hundredths of a percent), exactly.
  function hundredths(rate) {
    var match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(String(rate));
    if (!match) return 0;
    return Number(match[1]) * 100 + Number(((match[2] || "") + "00").slice(0, 2));
  }

  function lineTotal(line) {
    var deltas = line.modifiers.reduce(function (sum, m) { return sum + m.price_delta; }, 0);
    return (line.unit_price + deltas) * line.quantity;
  }

  // Split `amount` over `weights` (largest remainder, ties to the earlier line); the parts add up exactly.
  function allocate(amount, weights) {
    if (!amount) return weights.map(function () { return 0; });
    if (!weights.some(function (w) { return w; })) weights = weights.map(function () { return 1; });
    var sum = weights.reduce(function (a, b) { return a + b; }, 0);
    var shares = weights.map(function (w, i) {
      return { index: i, whole: Math.floor((amount * w) / sum), remainder: (amount * w) % sum };
    });
    var leftover = amount - shares.reduce(function (a, s) { return a + s.whole; }, 0);
    var parts = shares.map(function (s) { return s.whole; });
    shares.slice().sort(function (a, b) { return b.remainder - a.remainder || a.index - b.index; })
      .slice(0, leftover)
      .forEach(function (s) { parts[s.index] += 1; });
    return parts;
  }

  function discountFor(subtotal, discount) {
    if (!discount) return 0;
    if (discount.percent !== undefined && discount.percent !== null) {
      return divRound(subtotal * hundredths(discount.percent), 10000);
    }
    return Math.min(discount.amount || 0, subtotal);
  }

  // {subtotal, discount_total, tax_total, taxes: [{rate, amount}], tip_total, total} for cart lines
  // ({unit_price, modifiers: [{price_delta}], quantity, tax_rate}), a discount ({percent}|{amount}) and a tip.
  function totals(lines, discount, tip, taxMode) {
    var lineTotals = lines.map(lineTotal);
    var subtotal = lineTotals.reduce(function (a, b) { return a + b; }, 0);
    var discountTotal = discountFor(subtotal, discount);
    var shares = allocate(discountTotal, lineTotals);
    var byRate = {};
    var taxTotal = 0;
    lines.forEach(function (line, i) {
      var rate = hundredths(line.tax_rate);
      var net = lineTotals[i] - shares[i];
      var tax = taxMode === "INCLUSIVE" ? divRound(net * rate, 10000 + rate) : divRound(net * rate, 10000);
      byRate[line.tax_rate] = (byRate[line.tax_rate] || 0) + tax;
      taxTotal += tax;
    });
    var taxes = Object.keys(byRate)
      .sort(function (a, b) { return hundredths(a) - hundredths(b); })
      .map(function (rate) { return { rate: rate, amount: byRate[rate] }; });
    tip = tip || 0;
    return {
      subtotal: subtotal,
      discount_total: discountTotal,
      tax_total: taxTotal,
      taxes: taxes,
      tip_total: tip,
      total: subtotal - discountTotal + (taxMode === "EXCLUSIVE" ? taxTotal : 0) + tip,
    };
  }

  // The discount's share of the subtotal in hundredths of a percent (to compare with the approval threshold).
  function discountShare(subtotal, discount) {
    if (!discount) return 0;
    if (discount.percent !== undefined && discount.percent !== null) return hundredths(discount.percent);
    return subtotal ? Math.ceil((discount.amount * 10000) / subtotal) : 0;
  }

  // The rule of orders/services/inputs.py tip_check, in exact integers (BigInt: a large amount times the
  // percentage's hundredths passes 2^53): a tip above `maxPercent` ("20.00") of `amount` needs a manager.
  function tipAboveCap(tip, amount, maxPercent) {
    return BigInt(tip) * BigInt(10000) > BigInt(amount) * BigInt(hundredths(maxPercent));
  }

  // The modifier group rules of orders/services/cart.py: at least max(min_selections, 1 if required) and at
  // most max_selections (0: no limit) of each group. Returns a message per unmet group id.
  function groupProblems(item, chosenIds) {
    var problems = {};
    item.modifier_groups.forEach(function (group) {
      var count = group.modifiers.filter(function (m) { return chosenIds.indexOf(m.id) >= 0; }).length;
      var minimum = Math.max(group.min_selections, group.is_required ? 1 : 0);
      if (count < minimum) problems[group.id] = interpolate(ngettext("Choose at least %(count)s.", "Choose at least %(count)s.", minimum), { count: minimum }, true);
      else if (group.max_selections && count > group.max_selections) problems[group.id] = interpolate(ngettext("At most %(count)s.", "At most %(count)s.", group.max_selections), { count: group.max_selections }, true);
    });
    return problems;
  }

  POS.pricing = {
    totals: totals,
    divRound: divRound,
    lineTotal: lineTotal,
    allocate: allocate,
    hundredths: hundredths,
    discountShare: discountShare,
    tipAboveCap: tipAboveCap,
    groupProblems: groupProblems,
  };
})();
