"""The money figures of a set of orders, payments or refunds, each defined once as a database aggregate.

The Z report (`services/shifts.py`: a shift's rows) and the daily roll-ups (`reports/rollups.py`: a business
day's rows) apply the same aggregates to their own rows, so a sale, a void or a tip counts alike in both.
"""

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import OrderLine, OrderStatus
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
