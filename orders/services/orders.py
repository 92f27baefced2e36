"""Creating and changing orders: lines, voids, status, discount, and erasing customer details.

Every write runs in one transaction that locks the location first (`location_lock`, which also numbers
orders and events), then the order; an update carries the `version` it read and bumps it; each change
writes its outbox event in the same transaction.
"""

import datetime
from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Location, Organization, Terminal
from accounts.roles import FRONT_OF_HOUSE
from accounts.selectors import role_at
from cafepos.exceptions import ApplicationError
from cafepos.observability import metrics
from cafepos.outbox import location_lock
from tables.models import Table

from ..lifecycle import SYSTEM, check_order_transition
from ..limits import MAX_EXTERNAL_ID, MAX_ORDER_NOTE, MAX_REASON, MAX_SOURCE
from ..models import (
    DiscountApproval,
    Order,
    OrderLine,
    OrderLineModifier,
    OrderStatus,
    OrderType,
    StatusChange,
    Ticket,
    TicketStation,
    TicketStatus,
)
from .approvals import sent_void_approver
from .cart import CartLine, cart_resolve
from .discounts import discount_approval_record, order_discount_guard
from .events import order_events_emit, ticket_events, tickets_load
from .inputs import CartItem, CustomerDetails, discount_resolve, invalid, money_in, text_in, tip_check
from .locking import order_lock
from .numbering import order_number_assign
from .pricing import totals_compute
from .roles import require_role
from .saving import order_money_check, order_reprice, order_save
from .transitions import order_move, order_settle, status_record


def _customer(customer: CustomerDetails | None, order_type: str) -> dict:
    """The customer's details by name (None where not given); a DELIVERY needs the name, phone and address."""
    values = asdict(customer or CustomerDetails())
    if order_type == OrderType.DELIVERY:
        for name in ("name", "phone", "address"):
            if not values[name]:
                raise invalid(
                    "order.invalid_customer",
                    f"customer.{name}",
                    _("A delivery needs the customer's %(name)s.") % {"name": name},
                )
    return values


def _place(*, location: Location, type: str, table: Table | None, terminal: Terminal | None) -> None:
    if type not in OrderType.values:
        raise invalid(
            "order.invalid_type",
            "type",
            _("The type is one of %(choices)s.") % {"choices": ", ".join(OrderType.values)},
        )
    if type == OrderType.DINE_IN:
        if table is None:
            raise invalid("order.table_required", "table_id", _("A dine-in order needs a table."))
        if table.location_id != location.pk or not table.is_active:
            raise invalid("order.invalid_table", "table_id", _("This table is not in use at this location."))
    elif table is not None:
        raise invalid("order.invalid_table", "table_id", _("Only dine-in orders have a table."))
    if terminal is not None and (terminal.location_id != location.pk or not terminal.is_active):
        raise invalid("order.invalid_terminal", "terminal", _("This terminal is not paired to this location."))


def _lines_create(order: Order, cart: list[CartLine], *, staff, now) -> tuple[list[OrderLine], list[Ticket]]:
    """Insert the lines and one ticket per station they need (KITCHEN, BAR; NONE never): four queries at most.

    The lines and tickets come back as the representations read them (`line_list`, `modifier_list`), so
    nothing is read back.
    """
    stations = sorted({line.station for line in cart} & set(TicketStation.values))
    tickets = Ticket.objects.bulk_create(
        [Ticket(order=order, station=station, created_at=now, updated_at=now) for station in stations]
    )
    ticket_for = {ticket.station: ticket for ticket in tickets}
    lines = OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                menu_item_id=line.menu_item_id,
                name=line.name,
                unit_price=line.unit_price,
                tax_rate=line.tax_rate,
                station=line.station,
                quantity=line.quantity,
                line_total=line.line_total,
                note=line.note,
                ticket=ticket_for.get(line.station),
                created_at=now,
            )
            for line in cart
        ]
    )
    for line, cart_line in zip(lines, cart, strict=True):
        line.modifier_list = [
            OrderLineModifier(line=line, modifier_id=m.modifier_id, name=m.name, price_delta=m.price_delta)
            for m in cart_line.modifiers
        ]
    OrderLineModifier.objects.bulk_create([modifier for line in lines for modifier in line.modifier_list])
    for ticket in tickets:
        ticket.line_list = [line for line in lines if line.ticket_id == ticket.pk]
    return lines, tickets


def _tickets_opened(tickets: list[Ticket], *, location_id: int, staff, now) -> list[StatusChange]:
    """The unsaved audit rows of new tickets (NEW, set by the system)."""
    return [
        status_record(ticket, "", TicketStatus.NEW, location_id=location_id, staff=staff, automatic=True, now=now)
        for ticket in tickets
    ]


def _external_id_free(location: Location, source: str, external_id: str) -> None:
    if Order.objects.filter(location=location, source=source, external_id=external_id).exists():
        raise ApplicationError(
            "order.duplicate_external_id",
            _("An order from %(source)s with external id %(external_id)s already exists.")
            % {"source": source, "external_id": external_id},
            {"external_id": [_("Already used for this source.")]},
            status=409,
        )


def order_create(
    *,
    location: Location,
    staff,
    terminal: Terminal | None = None,
    type: str,
    lines: Sequence[CartItem],
    table: Table | None = None,
    customer: CustomerDetails | None = None,
    note: str = "",
    discount: dict | None = None,
    tip=None,
    tip_approved_by=None,
    source: str = "POS",
    external_id: str | None = None,
    staff_approves: bool = True,
) -> Order:
    """Take an order and send it to the kitchen at once: one ticket per station among its lines.

    `staff` is who took it (None for an integrator's order through an API key). `discount` is
    `{"amount"|"percent", "reason", "approved_by"?}`; `tip` a Decimal in the currency's major unit, above the
    location's `max_tip_percent` of the rest of the total approved by `tip_approved_by` (see `tip_check`).
    `staff_approves=False` when `staff` is not there to approve (a terminal sending for them): their own role
    then approves no discount, only `approved_by` does.
    Returns the order as written, ready for `order_representation` (nothing is read back).
    """
    if staff is not None:
        require_role(staff, location, FRONT_OF_HOUSE, action=_("Taking an order"))
    _place(location=location, type=type, table=table, terminal=terminal)
    customer_values = _customer(customer, type)
    note = text_in(note, field="note", max_length=MAX_ORDER_NOTE)
    source = text_in(source, field="source", max_length=MAX_SOURCE, required=True)
    if external_id is not None:
        external_id = text_in(external_id, field="external_id", max_length=MAX_EXTERNAL_ID, required=True)
    cart = cart_resolve(location=location, lines=lines)
    tip_total = money_in(tip, currency=location.currency, field="tip") if tip is not None else Decimal("0")
    subtotal = sum((line.line_total for line in cart), Decimal("0"))
    approver = staff if staff_approves else None
    chosen = discount_resolve(location=location, subtotal=subtotal, discount=discount, staff=approver)
    totals = totals_compute(
        currency=location.currency,
        tax_mode=location.tax_mode,
        lines=[(line.line_total, line.tax_rate) for line in cart],
        discount_amount=chosen.amount,
        discount_percent=chosen.percent,
        tip=tip_total,
    )
    tip_check(location=location, amount=totals.total - totals.tip_total, tip=tip_total, approved_by=tip_approved_by)
    now = timezone.now()
    business_day = location.business_day(now)
    with transaction.atomic():
        if external_id:  # checked under the location lock, so two requests with one external id cannot both pass
            location_lock(location.pk)
            _external_id_free(location, source, external_id)
        order = Order(
            location=location,
            type=type,
            table=table,
            source=source,
            external_id=external_id,
            customer_name=customer_values["name"],
            customer_phone=customer_values["phone"],
            customer_email=customer_values["email"],
            customer_address=customer_values["address"],
            note=note,
            staff=staff,
            terminal=terminal,
            business_day=business_day,
            discount_amount=chosen.amount,
            discount_percent=chosen.percent,
            discount_reason=chosen.reason,
            discount_approved_by=chosen.approved_by,
            subtotal=totals.subtotal,
            discount_total=totals.discount_total,
            tax_total=totals.tax_total,
            tip_total=totals.tip_total,
            total=totals.total,
            created_at=now,
            updated_at=now,
        )
        order_money_check(order)
        order.save(force_insert=True)  # unnumbered until it holds the location lock, below
        if chosen.approved_share is not None:
            approval = DiscountApproval.Cause.CREATE
            discount_approval_record(
                order, approved_by=chosen.approved_by, share=chosen.approved_share, cause=approval, now=now
            )
            order.save(update_fields=["discount_approved_share"])
        lines, tickets = _lines_create(order, cart, staff=staff, now=now)
        StatusChange.objects.bulk_create(
            [
                status_record(
                    order, "", OrderStatus.PENDING, location_id=location.pk, staff=staff, automatic=False, now=now
                ),
                *_tickets_opened(tickets, location_id=location.pk, staff=staff, now=now),
            ]
        )
        events = [("order.created", {})]
        if not tickets:
            events += order_move(order, OrderStatus.READY, staff=staff, actor=SYSTEM, now=now)
            order.save(update_fields=["status"])
        # Every order write of the location waits for this lock until commit: what needs it comes last.
        location_lock(location.pk)
        order_number_assign(order)
        events += order_settle(order, staff=staff, now=now)
        if order.receipt_number is not None:  # a free order is PAID at once
            order.save(update_fields=["payment_status", "receipt_number", "settled_shift"])
        order.line_list = lines
        order_events_emit(order, events, then=ticket_events(tickets, "ticket.created"))
        transaction.on_commit(
            partial(metrics.order_placed, location_id=location.pk, order_type=type, total=order.total)
        )
    return order


def order_lines_add(*, order: Order, staff, lines: Sequence[CartItem], version: int) -> Order:
    """Add lines to an order not yet served; only the new lines go to the stations, as new tickets.

    New station lines move a PENDING or READY order to PREPARING. A double submit carries the same
    `version` and is refused, so it never sends a second ticket.
    """
    location = order.location
    require_role(staff, location, FRONT_OF_HOUSE, action=_("Adding items"))
    cart = cart_resolve(location=location, lines=lines)
    now = timezone.now()
    with transaction.atomic():
        order = order_lock(order, version=version)
        if order.status == OrderStatus.SERVED:
            raise ApplicationError(
                "order.served", _("This order was served; start a new order for more items."), status=409
            )
        _lines, tickets = _lines_create(order, cart, staff=staff, now=now)
        StatusChange.objects.bulk_create(_tickets_opened(tickets, location_id=order.location_id, staff=staff, now=now))
        events = [("order.updated", {})]
        if tickets and order.status in (OrderStatus.PENDING, OrderStatus.READY):
            events += order_move(order, OrderStatus.PREPARING, staff=staff, actor=SYSTEM, now=now)
        order_reprice(order)
        order_discount_guard(order, staff=staff, now=now)  # more lines only lower an amount discount's share
        events += order_settle(order, staff=staff, now=now)
        order_save(order, now=now)
        return order_events_emit(order, events, then=ticket_events(tickets, "ticket.created"))


def _refuse_below_paid(order: Order) -> None:
    if order.total < order.paid_total:
        raise ApplicationError(
            "order.refund_first",
            _("The order would total less than what was paid; refund the difference first."),
            status=409,
        )


def order_line_void(*, order: Order, line: OrderLine, staff, reason: str, version: int, approved_by=None) -> Order:
    """Void a line (with reason and who); one already sent stays on its ticket, marked VOID.

    A discount that would then exceed the approval threshold (or the share a manager approved) needs a manager:
    `approved_by`, or the staff member themself; else `discount.approval_required` (403) and nothing changes.
    So does a sent item where the location asks for it (`void.approval_required`); the approver is kept on the line.
    """
    require_role(staff, order.location, FRONT_OF_HOUSE, action=_("Voiding an item"))
    reason = text_in(reason, field="reason", max_length=MAX_REASON, required=True)
    now = timezone.now()
    with transaction.atomic():
        order = order_lock(order, version=version)
        line = OrderLine.objects.select_for_update().filter(pk=line.pk, order=order).first()
        if line is None:
            raise ApplicationError("order.line_not_found", _("This item is not on the order."), status=404)
        if line.voided:
            raise ApplicationError("order.line_already_voided", _("This item is already voided."), status=409)
        if line.ticket_id and order.location.void_sent_needs_manager:
            line.void_approved_by = sent_void_approver(location=order.location, staff=staff, approved_by=approved_by)
        line.voided, line.void_reason, line.voided_by, line.voided_at = True, reason, staff, now
        line.save(update_fields=["voided", "void_reason", "voided_by", "voided_at", "void_approved_by"])
        order_reprice(order)
        order_discount_guard(order, staff=staff, approved_by=approved_by, now=now)
        _refuse_below_paid(order)
        events = [("order.updated", {})]
        events += order_settle(order, staff=staff, now=now)
        order_save(order, now=now)
        tickets = tickets_load([line.ticket_id]) if line.ticket_id else []
        return order_events_emit(order, events, then=ticket_events(tickets, "ticket.updated"))


def order_status_set(*, order: Order, staff, status: str, version: int, reason: str = "") -> Order:
    """A person's transition: SERVED (then COMPLETED at once if fully paid) or CANCELLED.

    Every other target is the system's and refused here with `order.illegal_transition`; a CANCELLED
    order with money taken is refused with `order.refund_first`. `reason` (why it was cancelled) is kept on
    the transition's audit row.
    """
    reason = text_in(reason, field="reason", max_length=MAX_REASON)
    if status not in OrderStatus.values:
        raise invalid(
            "order.invalid_status",
            "status",
            _("The status is one of %(choices)s.") % {"choices": ", ".join(OrderStatus.values)},
        )
    role = role_at(staff, order.location)
    now = timezone.now()
    with transaction.atomic():
        order = order_lock(order, version=version, open_only=False)
        check_order_transition(order.status, status, role)
        if status == OrderStatus.CANCELLED and order.paid_total > 0:
            raise ApplicationError(
                "order.refund_first", _("Money was taken for this order; refund it before cancelling."), status=409
            )
        events = order_move(order, status, staff=staff, actor=role, now=now, reason=reason)
        if status == OrderStatus.SERVED:
            events += order_settle(order, staff=staff, now=now)
        order_save(order, now=now)
        # Cancelled: kitchen displays take the order's tickets off the screen.
        tickets = tickets_load(order.tickets.values("pk")) if status == OrderStatus.CANCELLED else []
        return order_events_emit(order, events, then=ticket_events(tickets, "ticket.updated"))


def order_discount_set(
    *,
    order: Order,
    staff,
    amount=None,
    percent=None,
    reason: str = "",
    approved_by=None,
    version: int,
) -> Order:
    """Set (or, with neither amount nor percent, remove) the order discount.

    Above the location's `discount_approval_percent` a MANAGER or OWNER approves (`approved_by`, or the
    staff member if they hold that role), else `discount.approval_required` (403).
    """
    require_role(staff, order.location, FRONT_OF_HOUSE, action=_("Giving a discount"))
    now = timezone.now()
    with transaction.atomic():
        order = order_lock(order, version=version)
        chosen = discount_resolve(
            location=order.location,
            subtotal=order.subtotal,
            discount={"amount": amount, "percent": percent, "reason": reason, "approved_by": approved_by},
            staff=staff,
        )
        order.discount_amount, order.discount_percent = chosen.amount, chosen.percent
        order.discount_reason, order.discount_approved_by = chosen.reason, chosen.approved_by
        order.discount_approved_share = None
        order_reprice(order)
        if chosen.approved_share is not None:
            approval = DiscountApproval.Cause.DISCOUNT
            discount_approval_record(
                order, approved_by=chosen.approved_by, share=chosen.approved_share, cause=approval, now=now
            )
        _refuse_below_paid(order)
        events = [("order.updated", {})]
        events += order_settle(order, staff=staff, now=now)
        order_save(order, now=now)
        return order_events_emit(order, events)


def order_customer_erase(*, order: Order, now: datetime.datetime | None = None) -> Order:
    """Erase the customer's personal details; the order, its lines and its money stay as they were."""
    now = now or timezone.now()
    with transaction.atomic():
        order = order_lock(order, open_only=False)
        if order.customer_erased_at is not None:
            return order
        order.customer_name = order.customer_phone = order.customer_email = order.customer_address = None
        order.customer_erased_at = now
        order_save(order, now=now)
        return order_events_emit(order, [("order.updated", {})])


def customers_erase_expired(*, now: datetime.datetime | None = None) -> int:
    """Erase customer details on orders older than their organization's retention; returns how many."""
    now = now or timezone.now()
    has_customer = (
        Q(customer_name__isnull=False)
        | Q(customer_phone__isnull=False)
        | Q(customer_email__isnull=False)
        | Q(customer_address__isnull=False)
    )
    erased = 0
    for organization in Organization.objects.all():
        cutoff = now - datetime.timedelta(days=organization.customer_data_retention_days)
        expired = Order.objects.filter(
            has_customer,
            location__organization=organization,
            customer_erased_at__isnull=True,
            created_at__lt=cutoff,
        )
        for order_id in list(expired.values_list("pk", flat=True)):
            order_customer_erase(order=Order.objects.select_related("location").get(pk=order_id), now=now)
            erased += 1
    return erased
