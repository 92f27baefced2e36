"""Pieces every order service shares: roles, locking, numbering, transitions, totals, saving and events."""

from django.db import connection
from django.db.models import prefetch_related_objects

from accounts.models import Location
from accounts.selectors import role_at
from cafepos.exceptions import ApplicationError
from cafepos.money import MONEY_MAX, money_in_bounds
from cafepos.outbox import events_emit, location_lock

from ..lifecycle import SYSTEM, check_order_transition
from ..models import Order, OrderStatus, PaymentStatus, StatusChange, Ticket
from ..representations import order_representation, ticket_representation
from ..selectors import lines_prefetch
from .inputs import invalid
from .pricing import order_totals

CLOSED_STATUSES = (OrderStatus.COMPLETED, OrderStatus.CANCELLED)

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


def require_role(staff, location: Location, roles, *, action: str) -> str:
    """The staff member's role at the location, or a 403 if it is not one of `roles`."""
    role = role_at(staff, location) if staff is not None else None
    if role not in roles:
        names = " or ".join(sorted(roles))
        raise ApplicationError("permission.denied", f"{action} needs {names} at this location.", status=403)
    return role


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


def _highest(orders, field: str) -> int:
    """The highest `field` among `orders` (0 if none), read backwards along the unique index that numbers them (an
    index-only scan: MAX() through the ORM cost more to build than to run)."""
    numbers = orders.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values_list(field, flat=True)
    return numbers.first() or 0


def order_number_assign(order: Order) -> None:
    """Number a new order, inserted unnumbered: its day's highest number at its location + 1, in one statement. Only
    call under `location_lock`, which makes the numbers gap-free."""
    table = connection.ops.quote_name(Order._meta.db_table)
    # nosec B608 (the table name is the model's own, quoted; the values are parameters)
    sql = (
        f"UPDATE {table} SET number = (SELECT COALESCE(MAX(number), 0) + 1 FROM {table} "  # noqa: S608 (see above)
        "WHERE location_id = %s AND business_day = %s) WHERE id = %s RETURNING number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [order.location_id, order.business_day, order.pk])
        [order.number] = cursor.fetchone()


def next_receipt_number(location_id: int) -> int:
    """Receipts count up per location forever; orders are never deleted, so a number is never reused."""
    return _highest(Order.objects.filter(location_id=location_id), "receipt_number") + 1


def status_record(
    obj: Order | Ticket, from_status: str, to_status: str, *, location_id: int, staff, automatic: bool, now
):
    """An unsaved audit row for one transition of an order or a ticket (`from_status` "" when created)."""
    subject = StatusChange.Subject.ORDER if isinstance(obj, Order) else StatusChange.Subject.TICKET
    return StatusChange(
        location_id=location_id,
        subject=subject,
        subject_id=obj.pk,
        from_status=from_status,
        to_status=to_status,
        changed_by=staff,
        automatic=automatic,
        changed_at=now,
    )


def order_move(order: Order, to_status: str, *, staff, actor: str | None, now) -> list[tuple[str, dict]]:
    """Check and apply one order transition, record it, and return its `order.status_changed` event."""
    from_status = order.status
    check_order_transition(from_status, to_status, actor)
    automatic = actor == SYSTEM
    status_record(
        order, from_status, to_status, location_id=order.location_id, staff=staff, automatic=automatic, now=now
    ).save()
    order.status = to_status
    return [("order.status_changed", {"from": from_status, "to": to_status})]


def payment_status_for(order: Order) -> str:
    if order.refunded_total > 0:
        return PaymentStatus.REFUNDED if order.paid_total <= 0 else PaymentStatus.PARTIALLY_REFUNDED
    if order.balance_due <= 0:
        return PaymentStatus.PAID
    return PaymentStatus.PARTIALLY_PAID if order.paid_total > 0 else PaymentStatus.UNPAID


def order_settle(order: Order, *, staff, now, shift=None) -> list[tuple[str, dict]]:
    """After money changed: payment status, the receipt number once fully paid, SERVED → COMPLETED."""
    order.payment_status = payment_status_for(order)
    if order.payment_status != PaymentStatus.PAID:
        return []
    if order.receipt_number is None:
        order.receipt_number = next_receipt_number(order.location_id)
        order.settled_shift = shift
    if order.status == OrderStatus.SERVED:
        return order_move(order, OrderStatus.COMPLETED, staff=staff, actor=SYSTEM, now=now)
    return []


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
            message = f"The order's {field.replace('_', ' ')} would pass {MONEY_MAX:,}."
            raise ApplicationError("order.total_too_large", message, {field: [message]})


def order_save(order: Order, *, now) -> None:
    """Bump the version (every change does) and write the order's state in one UPDATE."""
    order_money_check(order)
    order.version += 1
    order.updated_at = now
    order.save(update_fields=ORDER_STATE_FIELDS)


def order_events(order: Order, events: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The order's events `(type, extra data)` as outbox events, each with the order's representation; loads its
    lines into `line_list` (two queries) unless the caller set them."""
    prefetch_related_objects([order], lines_prefetch())
    representation = order_representation(order)
    return [(event_type, {"order": representation, **extra}) for event_type, extra in events]


def ticket_events(tickets: list[Ticket], event_type: str) -> list[tuple[str, dict]]:
    """One outbox event per ticket; pass tickets loaded for `ticket_representation` (`tickets_load`)."""
    return [(event_type, {"ticket": ticket_representation(ticket)}) for ticket in tickets]


def order_events_emit(order: Order, events: list[tuple[str, dict]], *, then: list[tuple[str, dict]] = ()) -> Order:
    """Write the order's events (`order_events`), then the outbox events `then` (tickets'), in one batch; returns
    `order`."""
    events_emit(location_id=order.location_id, events=[*order_events(order, events), *then])
    return order


def tickets_load(ticket_ids) -> list[Ticket]:
    tickets = Ticket.objects.filter(pk__in=ticket_ids).select_related("order__location")
    return list(tickets.prefetch_related(lines_prefetch()).order_by("pk"))
