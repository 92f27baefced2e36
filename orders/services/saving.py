"""Writing an order's state: totals recomputed from its lines, money kept within bounds, the version bumped."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from cafepos.exceptions import ApplicationError
from cafepos.money import MONEY_MAX, money_in_bounds

from ..models import Order
from ..selectors import lines_prefetch
from .pricing import order_totals

# Everything a service may change on an order: saved together in one UPDATE.
ORDER_STATE_FIELDS = [
    "status",
    "payment_status",
    "discount_amount",
    "discount_percent",
    "discount_reason",
    "discount_approved_by",
    "discount_approved_share",
    "subtotal",
    "discount_total",
    "tax_total",
    "tip_total",
    "total",
    "paid_total",
    "refunded_total",
    "receipt_number",
    "settled_shift",
    "customer_name",
    "customer_phone",
    "customer_email",
    "customer_address",
    "customer_erased_at",
    "version",
    "updated_at",
]


def order_reprice(order: Order) -> None:
    """Recompute the stored totals from the lines, the discount and the tips.

    Call it after the lines changed: it loads them into `line_list` (two queries), where the events read them.
    """
    prefetch_related_objects([order], lines_prefetch())
    totals = order_totals(order, order.line_list)
    order.subtotal = totals.subtotal
    order.discount_total = totals.discount_total
    order.tax_total = totals.tax_total
    order.total = totals.total


# The order's money columns: each one is kept within the business cap before it is written.
ORDER_MONEY_FIELDS = ("subtotal", "discount_total", "tax_total", "tip_total", "total", "paid_total", "refunded_total")


def order_money_check(order: Order) -> None:
    """A 400 `order.total_too_large` when a total of `order` would pass `MONEY_MAX`: refused before any write, so the
    database never sees a sum past its column."""
    for field in ORDER_MONEY_FIELDS:
        if not money_in_bounds(getattr(order, field)):
            message = _("The order's %(field)s would pass %(max)s.") % {
                "field": field.replace("_", " "),
                "max": f"{MONEY_MAX:,}",
            }
            raise ApplicationError("order.total_too_large", message, {field: [message]})


def order_save(order: Order, *, now) -> None:
    """Bump the version (every change does) and write the order's state in one UPDATE."""
    order_money_check(order)
    order.version += 1
    order.updated_at = now
    order.save(update_fields=ORDER_STATE_FIELDS)
