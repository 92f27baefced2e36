"""Reads about orders: scoped lists, open kitchen tickets, and the derived status of tables."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, Expression, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from accounts.models import Location
from accounts.selectors import scope_to_user
from tables.models import Table

from .models import (
    OPEN_ORDER_STATUSES,
    CashMovement,
    Order,
    OrderLine,
    OrderStatus,
    OrderType,
    Payment,
    Shift,
    Ticket,
    TicketStatus,
)

# A station's Done column: the tickets bumped in the last RECENT_DONE_MINUTES, at most RECENT_DONE_TICKETS of them.
RECENT_DONE_TICKETS = 6
RECENT_DONE_MINUTES = 30
# The shift page lists at most this many of the drawer's cash movements (the newest).
SHIFT_MOVEMENTS_SHOWN = 50
# Orders whose DONE tickets may still be recalled (a served, completed or cancelled order may not).
RECALLABLE_ORDER_STATUSES = (OrderStatus.PREPARING, OrderStatus.READY)


class TableStatus:
    FREE = "FREE"
    OCCUPIED = "OCCUPIED"
    NEEDS_ATTENTION = "NEEDS_ATTENTION"


def lines_prefetch() -> Prefetch:
    """What the representations read: an order's or a ticket's lines in `line_list`, each line's modifiers in
    `modifier_list` (plain lists: two queries for any number of orders, no queryset built per row)."""
    modifiers = Prefetch("modifiers", to_attr="modifier_list")
    return Prefetch("lines", queryset=OrderLine.objects.prefetch_related(modifiers), to_attr="line_list")


def _with_lines(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(lines_prefetch())


def _order_payments_sum(field: str, earlier: bool = False) -> Subquery:
    payments = Payment.objects.filter(order=OuterRef("order"))
    if earlier:
        before = OuterRef("created_at")
        payments = payments.filter(Q(created_at__lt=before) | Q(created_at=before, pk__lt=OuterRef("pk")))
    total = payments.order_by().values("order").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total), Value(Decimal("0")), output_field=DecimalField())


def payment_order_tip_share() -> Expression:
    """For a payment, the part of its `amount` that paid the tip given when its order was placed.

    That tip is in the order's total, so the payments applied to the balance carry it: they pay the food first
    and the tip last (in the order they were taken), so the tip is counted once, with the tender that took it.
    Used by the Z report and the sales report by payment method, so both split a tender's takings alike.
    """
    food = F("order__total") - F("order__tip_total")
    order_tip = F("order__tip_total") - _order_payments_sum("tip")
    applied_before = _order_payments_sum("amount", earlier=True)
    taken = Least(applied_before + F("amount"), food + order_tip) - Greatest(applied_before, food)
    return Greatest(taken, Value(Decimal("0")), output_field=DecimalField())


def table_statuses(location: Location) -> list[dict]:
    """Every active table with its derived status and open dine-in order ids (two queries).

    FREE: no open dine-in order; OCCUPIED: at least one; NEEDS_ATTENTION: one of them is READY.
    """
    open_orders = Order.objects.filter(
        location=location, type=OrderType.DINE_IN, status__in=OPEN_ORDER_STATUSES
    ).order_by("pk")
    by_table: dict[int, list[tuple[int, str]]] = {}
    for order_id, table_id, status in open_orders.values_list("pk", "table_id", "status"):
        by_table.setdefault(table_id, []).append((order_id, status))
    result = []
    for table in Table.objects.filter(location=location, is_active=True).order_by("area_id", "label"):
        orders = by_table.get(table.pk, [])
        if any(status == OrderStatus.READY for _, status in orders):
            status = TableStatus.NEEDS_ATTENTION
        else:
            status = TableStatus.OCCUPIED if orders else TableStatus.FREE
        result.append(
            {
                "table_id": table.pk,
                "label": table.label,
                "area_id": table.area_id,
                "seats": table.seats,
                "status": status,
                "open_order_ids": [order_id for order_id, _ in orders],
            }
        )
    return result


def orders_for(
    user,
    *,
    location: Location | None = None,
    status: str | None = None,
    type: str | None = None,
    table_id: int | None = None,
    source: str | None = None,
    created_after: datetime.datetime | None = None,
) -> QuerySet[Order]:
    """Orders the user may see, newest first (`-created_at, -id`, a stable order for cursors), ready to represent.

    `user=None` is a caller bound to one location (an API key): the `location` given is the whole scope.
    """
    queryset = Order.objects.select_related("location")
    if user is not None:
        queryset = scope_to_user(queryset, user)
    elif location is None:
        raise ValueError("orders_for needs a user or a location")
    filters = {
        "location": location,
        "status": status,
        "type": type,
        "table_id": table_id,
        "source": source,
        "created_at__gt": created_after,
    }
    queryset = queryset.filter(**{name: value for name, value in filters.items() if value is not None})
    return _with_lines(queryset).order_by("-created_at", "-id")


def orders_found(user, *, location: Location, days: int, number: int | None = None, receipt_number=None):
    """The user's orders of `location` with this number (shown as #0001) or receipt number, of the business days
    from `days` ago to today, newest first. Both lookups use a unique index (location, business day, number) or
    (location, receipt number), so the query stays small however old the location is."""
    first_day = location.business_day() - datetime.timedelta(days=days)
    match = {"number": number} if number is not None else {"receipt_number": receipt_number}
    return orders_for(user, location=location).filter(business_day__gte=first_day, **match)


def payments_of(order: Order) -> QuerySet[Payment]:
    """An order's payments, oldest first: what the till refunds to the tender each was paid with."""
    return order.payments.order_by("created_at", "id")


def open_shift(terminal_id: int) -> Shift | None:
    """The terminal's open shift (at most one), if any."""
    return Shift.objects.filter(terminal_id=terminal_id, closed_at__isnull=True).first()


def shift_cash_movements(shift: Shift) -> list[CashMovement]:
    """The drawer's newest cash movements (at most SHIFT_MOVEMENTS_SHOWN), oldest first, as the page lists them."""
    newest = shift.cash_movements.select_related("shift__location").order_by("-created_at", "-id")
    newest = newest[:SHIFT_MOVEMENTS_SHOWN]
    return list(reversed(newest))


def shifts_for(location: Location) -> QuerySet[Shift]:
    """A location's shifts, newest first (`-opened_at, -id`), ready for `shift_representation`."""
    return Shift.objects.filter(location=location).select_related("location").order_by("-opened_at", "-id")


def open_tickets(location: Location, station: str) -> QuerySet[Ticket]:
    """A station's tickets still to make (NEW, IN_PROGRESS) of live orders, oldest first."""
    return _with_lines(
        Ticket.objects.filter(
            order__location=location,
            station=station,
            status__in=(TicketStatus.NEW, TicketStatus.IN_PROGRESS),
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .select_related("order__location")
    ).order_by("created_at", "id")


def recently_done_tickets(location: Location, station: str) -> list[Ticket]:
    """A station's recently bumped tickets that can still be recalled, newest first: what its display's Done
    column shows after a reload. Bounded by count and age, read through the partial index on DONE tickets."""
    cutoff = timezone.now() - datetime.timedelta(minutes=RECENT_DONE_MINUTES)
    return list(
        _with_lines(
            Ticket.objects.filter(
                order__location=location,
                station=station,
                status=TicketStatus.DONE,
                done_at__gte=cutoff,
                order__status__in=RECALLABLE_ORDER_STATUSES,
            ).select_related("order__location")
        ).order_by("-done_at", "-id")[:RECENT_DONE_TICKETS]
    )
