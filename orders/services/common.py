"""Pieces every order service shares: input checks, roles, locking, transitions, saving and events."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Max, Prefetch

from accounts.models import Location
from accounts.selectors import role_at
from cafepos.exceptions import ApplicationError
from cafepos.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, currency_places, quantize_money
from cafepos.outbox import event_emit, location_lock

from ..lifecycle import MANAGERS, SYSTEM, check_order_transition
from ..models import Order, OrderLine, OrderStatus, PaymentStatus, StatusChange, Ticket
from ..representations import order_representation, ticket_representation

MONEY_LIMIT = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES)
CLOSED_STATUSES = (OrderStatus.COMPLETED, OrderStatus.CANCELLED)

# Everything a service may change on an order: saved together in one UPDATE.
ORDER_STATE_FIELDS = [
    "status",
    "payment_status",
    "discount_amount",
    "discount_percent",
    "discount_reason",
    "discount_approved_by",
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


def invalid(code: str, field: str, message: str, status: int = 400) -> ApplicationError:
    return ApplicationError(code, message, {field: [message]}, status=status)


def decimal_in(value, *, field: str, places: int) -> Decimal:
    """A Decimal (or int or numeric string, never a float) with at most `places` decimals."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise invalid("validation.invalid_amount", field, "A decimal number is required.")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise invalid("validation.invalid_amount", field, "A decimal number is required.") from None
    if not number.is_finite() or abs(number) >= MONEY_LIMIT:
        raise invalid("validation.invalid_amount", field, "This amount is out of range.")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise invalid("validation.invalid_amount", field, f"At most {places} decimal places.")
    return number


def money_in(value, *, currency: str, field: str, positive: bool = False, signed: bool = False) -> Decimal:
    """Parse an amount in the currency's major unit (e.g. Decimal("3.50") EUR), refusing extra decimals."""
    amount = decimal_in(value, field=field, places=currency_places(currency))
    if positive and amount <= 0:
        raise invalid("validation.invalid_amount", field, "The amount must be more than zero.")
    if not signed and amount < 0:
        raise invalid("validation.invalid_amount", field, "The amount cannot be negative.")
    return quantize_money(amount, currency)


def text_in(value, *, field: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > max_length:
        raise invalid("validation.invalid_text", field, f"Text of at most {max_length} characters.")
    if required and not value.strip():
        raise invalid("validation.required", field, "This is required.")
    return value.strip()


def require_role(staff, location: Location, roles, *, action: str) -> str:
    """The staff member's role at the location, or a 403 if it is not one of `roles`."""
    role = role_at(staff, location) if staff is not None else None
    if role not in roles:
        names = " or ".join(sorted(roles))
        raise ApplicationError("permission.denied", f"{action} needs {names} at this location.", status=403)
    return role


@dataclass(frozen=True)
class Discount:
    amount: Decimal | None = None
    percent: Decimal | None = None
    reason: str = ""
    approved_by: object | None = None


def discount_resolve(
    *, location: Location, subtotal: Decimal, discount: dict | None, staff=None, approval_needed: bool = True
) -> Discount:
    """Check an order discount `{"amount"|"percent", "reason", "approved_by"?}`.

    Above the location's `discount_approval_percent` of the subtotal a MANAGER or OWNER approves: the
    `approved_by` user, or the staff member themself when they hold that role.
    """
    if not discount or (discount.get("amount") is None and discount.get("percent") is None):
        return Discount()
    if not isinstance(discount, dict) or set(discount) - {"amount", "percent", "reason", "approved_by"}:
        raise invalid("discount.invalid", "discount", "A discount has an amount or a percent, and a reason.")
    if discount.get("amount") is not None and discount.get("percent") is not None:
        raise invalid("discount.invalid", "discount", "Give an amount or a percent, not both.")
    amount = percent = None
    if discount.get("percent") is not None:
        percent = decimal_in(discount["percent"], field="discount.percent", places=2)
        if not 0 < percent <= 100:
            raise invalid("discount.invalid", "discount.percent", "A percentage above 0 and at most 100.")
        share = percent
    else:
        amount = money_in(discount["amount"], currency=location.currency, field="discount.amount", positive=True)
        if amount > subtotal:
            raise invalid("discount.exceeds_subtotal", "discount.amount", "The discount is more than the subtotal.")
        share = amount * 100 / subtotal
    reason = text_in(discount.get("reason"), field="discount.reason", max_length=200, required=True)
    approved_by = discount.get("approved_by")
    if approval_needed and share > location.discount_approval_percent:
        approver = approved_by or staff
        if approver is None or role_at(approver, location) not in MANAGERS:
            raise ApplicationError(
                "discount.approval_required",
                f"A discount above {location.discount_approval_percent}% needs a manager's approval.",
                {"discount.approved_by": ["A MANAGER or OWNER of this location must approve."]},
                status=403,
            )
        approved_by = approver
    return Discount(amount=amount, percent=percent, reason=reason, approved_by=approved_by)


def order_lock(order: Order, *, version: int | None = None, open_only: bool = True) -> Order:
    """Inside `transaction.atomic()`: lock the location first, then the order; refuse a stale version."""
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


def next_number(location: Location, business_day) -> int:
    """The next order number of the day; only call under `location_lock`, which makes it gap-free."""
    last = Order.objects.filter(location=location, business_day=business_day).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def next_receipt_number(location_id: int) -> int:
    """Receipts count up per location forever; orders are never deleted, so a number is never reused."""
    last = Order.objects.filter(location_id=location_id).aggregate(n=Max("receipt_number"))["n"]
    return (last or 0) + 1


def status_record(*, subject: str, obj, from_status: str, to_status: str, staff, automatic: bool, now, location_id):
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
    status_record(
        subject=StatusChange.Subject.ORDER,
        obj=order,
        from_status=from_status,
        to_status=to_status,
        staff=staff,
        automatic=actor == SYSTEM,
        now=now,
        location_id=order.location_id,
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


def order_reprice(order: Order, lines: list[OrderLine] | None = None) -> None:
    """Recompute the stored totals from the lines that count (not voided) and the discount and tips."""
    from .pricing import totals_compute

    if lines is None:
        pairs = list(order.lines.filter(voided=False).values_list("line_total", "tax_rate"))
    else:
        pairs = [(line.line_total, line.tax_rate) for line in lines if not line.voided]
    totals = totals_compute(
        currency=order.location.currency,
        tax_mode=order.location.tax_mode,
        lines=pairs,
        discount_amount=order.discount_amount,
        discount_percent=order.discount_percent,
        tip=order.tip_total,
    )
    order.subtotal = totals.subtotal
    order.discount_total = totals.discount_total
    order.tax_total = totals.tax_total
    order.total = totals.total


def order_save(order: Order, *, now, new: bool = False) -> None:
    """Bump the version (every change does) and write the order's state in one UPDATE."""
    if not new:
        order.version += 1
    order.updated_at = now
    order.save(update_fields=ORDER_STATE_FIELDS)


def order_load(order_id: int) -> Order:
    """An order with everything its representation needs (three queries)."""
    lines = OrderLine.objects.prefetch_related("modifiers")
    return Order.objects.select_related("location").prefetch_related(Prefetch("lines", queryset=lines)).get(pk=order_id)


def order_events_emit(order: Order, events: list[tuple[str, dict]]) -> Order:
    """Write the order's events (each with its fresh representation) and return the reloaded order."""
    fresh = order_load(order.pk)
    representation = order_representation(fresh)
    for event_type, extra in events:
        event_emit(location_id=fresh.location_id, type=event_type, data={"order": representation, **extra})
    return fresh


def tickets_load(ticket_ids) -> list[Ticket]:
    lines = OrderLine.objects.prefetch_related("modifiers")
    return list(
        Ticket.objects.filter(pk__in=ticket_ids)
        .select_related("order__location")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("pk")
    )


def ticket_events_emit(ticket_ids, event_type: str) -> list[Ticket]:
    tickets = tickets_load(ticket_ids)
    for ticket in tickets:
        event_emit(
            location_id=ticket.order.location_id, type=event_type, data={"ticket": ticket_representation(ticket)}
        )
    return tickets
