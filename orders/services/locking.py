"""Locking an order for a write: the location first, then the order; a stale version or a closed order refused."""

from cafepos.exceptions import ApplicationError
from cafepos.outbox import location_lock

from ..models import Order, OrderStatus
from .inputs import invalid

CLOSED_STATUSES = (OrderStatus.COMPLETED, OrderStatus.CANCELLED)


def order_lock(order: Order, *, version: int | None = None, open_only: bool = True) -> Order:
    """Inside `transaction.atomic()`: lock the location first, then the order; refuse a stale version."""
    if version is not None and type(version) is not int:
        raise invalid("validation.invalid_version", "version", "The version is the whole number the order was read at.")
    location = order.location
    location_lock(location.pk)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    locked.location = location
    if version is not None and locked.version != version:
        raise ApplicationError(
            "order.version_conflict",
            f"The order has changed since version {version} (it is at {locked.version}); reload it and retry.",
            {"version": [f"Current version is {locked.version}."]},
            status=409,
        )
    if open_only and locked.status in CLOSED_STATUSES:
        raise ApplicationError("order.closed", f"The order is {locked.status.lower()}.", status=409)
    return locked
