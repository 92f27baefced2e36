"""Moving an order along its lifecycle, with its audit row, and settling it once money changed."""

from ..lifecycle import SYSTEM, check_order_transition
from ..models import Order, OrderStatus, PaymentStatus, StatusChange, Ticket
from .numbering import next_receipt_number


def status_record(
    obj: Order | Ticket,
    from_status: str,
    to_status: str,
    *,
    location_id: int,
    staff,
    automatic: bool,
    now,
    reason: str = "",
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
        reason=reason,
    )


def order_move(
    order: Order, to_status: str, *, staff, actor: str | None, now, reason: str = ""
) -> list[tuple[str, dict]]:
    """Check and apply one order transition, record it, and return its `order.status_changed` event."""
    from_status = order.status
    check_order_transition(from_status, to_status, actor)
    automatic = actor == SYSTEM
    status_record(
        order,
        from_status,
        to_status,
        location_id=order.location_id,
        staff=staff,
        automatic=automatic,
        now=now,
        reason=reason,
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
