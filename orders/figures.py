"""The money figures of a set of orders, payments or refunds, each defined once as a database aggregate.

The Z report (`services/shifts.py`: a shift's rows) and the daily roll-ups (`reports/rollups.py`: a business
day's rows) apply the same aggregates to their own rows, so a sale, a void or a tip counts alike in both.
`shift_drawer` is a shift's cash so far: the Z report freezes it at close, the shift page shows it before.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from cafepos.money import quantize_money

from .models import OrderLine, OrderStatus, Shift, Tender
from .selectors import payment_order_tip_share

ZERO = Decimal("0")

SOLD = ~Q(status=OrderStatus.CANCELLED)
DISCOUNTED = ~Q(discount_total=0)

# The sales of orders, by figure: the sum of the order's stored total of that name (kept by order_reprice).
ORDER_SUMS = {"gross": "subtotal", "discounts": "discount_total", "tax": "tax_total", "tips": "tip_total"}


def order_sums(only: Q | None = None) -> dict:
    """The sales of a set of orders (those matching `only`, if given): gross, discounts, tax, tips and total."""
    return {name: Coalesce(Sum(column, filter=only), ZERO) for name, column in {**ORDER_SUMS, "total": "total"}.items()}


def voided_lines(orders: QuerySet) -> QuerySet:
    """The lines of `orders` taken off them: a void is a line, counted at its total."""
    return OrderLine.objects.filter(order__in=orders, voided=True)


VOID_SUMS = {"void_count": Count("pk"), "voids": Coalesce(Sum("line_total"), ZERO)}  # over `voided_lines`

REFUND_SUMS = {"refund_count": Count("pk"), "refunds": Coalesce(Sum("amount"), ZERO)}  # over refunds


def takings_by_tender(payments: QuerySet, *group: str, **more) -> QuerySet:
    """Per tender (and per `group`), the payments' count, their takings for the orders (`amount`) and their tips.

    A tip counts once, with the tender that took it: a payment's own tip, plus the part of its amount that paid
    a tip given with the order (`payment_order_tip_share`), which is not takings. `more`: further aggregates.
    """
    return (
        payments.annotate(order_tip=payment_order_tip_share())
        .values("tender", *group)
        .annotate(
            payments=Count("pk"),
            amount=Sum(F("amount") - F("order_tip")),
            tips=Sum(F("tip") + F("order_tip")),
            **more,
        )
        .order_by()
    )


@dataclass(frozen=True)
class Drawer:
    """A shift's drawer so far: per tender its takings and refunds, the cash moved by hand (each positive),
    and the cash it should hold."""

    tenders: dict[str, dict]
    refunds: dict[str, dict]
    cash_in: Decimal
    cash_out: Decimal
    expected: Decimal


def shift_drawer(shift: Shift) -> Drawer:
    """What the shift's drawer should hold: float, cash takings and tips, less cash refunds, plus cash moved."""
    currency = shift.location.currency
    tenders = {tender: {"count": 0, "amount": ZERO, "tips": ZERO} for tender in Tender.values}
    for row in takings_by_tender(shift.payments.all()):
        tenders[row["tender"]] = {
            "count": row["payments"],
            "amount": quantize_money(row["amount"], currency),
            "tips": quantize_money(row["tips"], currency),
        }
    refunds = {tender: {"count": 0, "amount": ZERO} for tender in Tender.values}
    for row in shift.refunds.values(tender=F("payment__tender")).annotate(**REFUND_SUMS).order_by():
        refunds[row["tender"]] = {"count": row["refund_count"], "amount": quantize_money(row["refunds"], currency)}
    moved = shift.cash_movements.aggregate(
        cash_in=Coalesce(Sum("amount", filter=Q(amount__gt=0)), ZERO),
        cash_out=Coalesce(-Sum("amount", filter=Q(amount__lt=0)), ZERO),
    )
    cash_in, cash_out = quantize_money(moved["cash_in"], currency), quantize_money(moved["cash_out"], currency)
    cash = tenders[Tender.CASH]
    expected = shift.opening_float + cash["amount"] + cash["tips"] - refunds[Tender.CASH]["amount"] + cash_in - cash_out
    return Drawer(tenders=tenders, refunds=refunds, cash_in=cash_in, cash_out=cash_out, expected=expected)
