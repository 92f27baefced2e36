"""Locking an order for a write: the location first, then the order; a stale version or a closed order refused."""

from django.utils.translation import gettext as _

from cafepos.exceptions import ApplicationError
from cafepos.outbox import location_lock

from ..models import Order, OrderStatus
from .inputs import invalid

CLOSED_STATUSES = (OrderStatus.COMPLETED, OrderStatus.CANCELLED)


def order_lock(order: Order, *, version: int | None = None, open_only: bool = True) -> Order:
    """Inside `transaction.atomic()`: lock the location first, then the order; refuse a stale version."""
    if version is not None and type(version) is not int:
        raise invalid(
            "validation.invalid_version", "version", _("The version is the whole number the order was read at.")
        )
    location = order.location
    location_lock(location.pk)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    locked.location = location
    if version is not None and locked.version != version:
        raise ApplicationError(
            "order.version_conflict",
            _("The order has changed since version %(version)s (it is at %(current)s); reload it and retry.")
            % {"version": version, "current": locked.version},
            {"version": [_("Current version is %(version)s.") % {"version": locked.version}]},
            status=409,
        )
    if open_only and locked.status in CLOSED_STATUSES:
        raise ApplicationError(
            "order.closed",
            _("The order is %(status)s.") % {"status": str(OrderStatus(locked.status).label).lower()},
            status=409,
        )
    return locked
