"""Money arithmetic for a cart or an order, and the quote service that saves nothing.

Everything is Decimal rounded half-up to the currency's minor unit. The discount is spread over the lines
in proportion to their value (largest remainder, so the shares add up to it exactly) and tax is computed
per line on what is left: inclusive `tax = net − net / (1 + r)`, exclusive `tax = net × r`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Location
from cafepos.money import from_minor_units, quantize_money, to_minor_units

from ..models import OrderType
from .cart import CartLine, cart_resolve
from .inputs import discount_resolve, invalid, money_in

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class PricedLine:
    line_total: Decimal
    discount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    """subtotal − discount_total (+ tax_total when tax is added on top) + tip_total = total."""

    currency: str
    lines: list[PricedLine]
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    tip_total: Decimal
    total: Decimal
    taxes_by_rate: dict[Decimal, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    """A priced cart: the lines as they would be snapshotted and every total, nothing saved."""

    type: str
    lines: list[CartLine]
    totals: Totals


def allocate(amount: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """Split `amount` in proportion to `weights`, to the minor unit, the parts adding up to `amount` exactly."""
    total_minor = to_minor_units(amount, currency)
    weight_minor = [to_minor_units(w, currency) for w in weights]
    if total_minor == 0:
        return [quantize_money(ZERO, currency) for _ in weights]
    if not any(weight_minor):
        # Nothing to weigh by: share evenly (any equal weights give this split, so a mutant's [2] is no change).
        weight_minor = [1] * len(weights)  # pragma: no mutate
    weight_sum = sum(weight_minor)
    shares = [divmod(total_minor * w, weight_sum) for w in weight_minor]
    parts = [whole for whole, _ in shares]
    leftover = total_minor - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-shares[i][1], i))
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return [from_minor_units(part, currency) for part in parts]


def line_tax(net: Decimal, rate: Decimal, *, tax_mode: str, currency: str) -> Decimal:
    if tax_mode == Location.TaxMode.INCLUSIVE:
        return quantize_money(net * rate / (HUNDRED + rate), currency)
    return quantize_money(net * rate / HUNDRED, currency)


def discount_for(subtotal: Decimal, *, amount: Decimal | None, percent: Decimal | None, currency: str) -> Decimal:
    """The order discount in money: a percentage of the subtotal, or a fixed amount capped at the subtotal."""
    if percent is not None:
        return quantize_money(subtotal * percent / HUNDRED, currency)
    if amount is not None:
        return min(quantize_money(amount, currency), subtotal)
    return quantize_money(ZERO, currency)


def totals_compute(
    *,
    currency: str,
    tax_mode: str,
    lines: list[tuple[Decimal, Decimal]],
    discount_amount: Decimal | None = None,
    discount_percent: Decimal | None = None,
    tip: Decimal = ZERO,
) -> Totals:
    """Totals for (line_total, tax_rate) pairs of the lines that count (voided lines left out by the caller)."""
    subtotal = quantize_money(sum(total for total, _ in lines), currency)
    discount_total = discount_for(subtotal, amount=discount_amount, percent=discount_percent, currency=currency)
    shares = allocate(discount_total, [total for total, _ in lines], currency)
    priced = []
    taxes_by_rate: dict[Decimal, Decimal] = {}
    for (line_total, rate), share in zip(lines, shares, strict=True):  # pragma: no mutate (one share per line)
        tax = line_tax(line_total - share, rate, tax_mode=tax_mode, currency=currency)
        priced.append(PricedLine(line_total=line_total, discount=share, tax=tax))
        taxes_by_rate[rate] = taxes_by_rate.get(rate, ZERO) + tax
    tax_total = quantize_money(sum(line.tax for line in priced), currency)
    tip = quantize_money(tip, currency)
    added_tax = tax_total if tax_mode == Location.TaxMode.EXCLUSIVE else ZERO
    return Totals(
        currency=currency,
        lines=priced,
        subtotal=subtotal,
        discount_total=discount_total,
        tax_total=tax_total,
        tip_total=tip,
        total=subtotal - discount_total + added_tax + tip,
        taxes_by_rate=dict(sorted(taxes_by_rate.items())),
    )


def order_totals(order, lines) -> Totals:
    """The totals of an order's `lines` that count (voided ones are left out), with its discount and tips."""
    location = order.location
    return totals_compute(
        currency=location.currency,
        tax_mode=location.tax_mode,
        lines=[(line.line_total, line.tax_rate) for line in lines if not line.voided],
        discount_amount=order.discount_amount,
        discount_percent=order.discount_percent,
        tip=order.tip_total,
    )


def order_quote(*, location: Location, type: str, lines: list[dict], discount: dict | None = None, tip=None) -> Quote:
    """Price a cart exactly as `order_create` would, saving nothing (for the POS and integrators)."""
    if type not in OrderType.values:
        raise invalid(
            "order.invalid_type",
            "type",
            _("The type is one of %(choices)s.") % {"choices": ", ".join(OrderType.values)},
        )
    cart = cart_resolve(location=location, lines=lines)
    currency = location.currency
    tip_amount = money_in(tip, currency=currency, field="tip") if tip is not None else ZERO
    subtotal = sum(line.line_total for line in cart)
    # A quote saves nothing, so no approval is checked (None would do as well as False: no mutation here).
    chosen = discount_resolve(
        location=location,
        subtotal=subtotal,
        discount=discount,
        approval_needed=False,  # pragma: no mutate
    )
    totals = totals_compute(
        currency=currency,
        tax_mode=location.tax_mode,
        lines=[(line.line_total, line.tax_rate) for line in cart],
        discount_amount=chosen.amount,
        discount_percent=chosen.percent,
        tip=tip_amount,
    )
    return Quote(type=type, lines=cart, totals=totals)
