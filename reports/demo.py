"""A few weeks of sales history for the demo cafe, made through the orders services (demo data only).

Each past day is sold "now" through the services (order, kitchen tickets, payments, a drawer shift) and
then moved back to that day: the rows keep every invariant the services give them, with dates in the past.
Idempotent: a location that already has orders before today is left alone.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import F

from accounts.models import Location, Terminal
from menu.models import MenuItem
from orders.demo import demo_cart_item, demo_people
from orders.models import Order, OrderLine, OrderType, Payment, Refund, Shift, StatusChange, Tender, Ticket
from orders.services import (
    CartItem,
    CustomerDetails,
    order_create,
    order_line_void,
    order_status_set,
    payment_add,
    payment_refund,
    shift_close,
    shift_open,
    ticket_bump,
    ticket_start,
)

DEMO_DAYS = 21
ORDERS_PER_DAY = (1, 3)  # a quiet and a busy day (kept small: `make serve` seeds it in seconds)
# Weights of local opening hours 7:00–18:00: a breakfast and a lunch peak.
HOUR_WEIGHTS = {7: 4, 8: 9, 9: 8, 10: 5, 11: 5, 12: 9, 13: 8, 14: 4, 15: 3, 16: 3, 17: 2}


def _cart(items: list[MenuItem], rng: random.Random) -> list[CartItem]:
    picked = rng.sample(items, k=min(len(items), rng.choice((1, 1, 2, 2, 3, 4))))
    return [demo_cart_item(item, rng.choice((1, 1, 1, 2))) for item in picked]


def _move(order: Order, when: datetime.datetime, day: datetime.date, rng: random.Random) -> None:
    """Put an order sold just now back at `when` (business day `day`), tickets taking a few minutes each."""
    shift = when - order.created_at
    Order.objects.filter(pk=order.pk).update(created_at=when, updated_at=F("updated_at") + shift, business_day=day)
    OrderLine.objects.filter(order=order).update(created_at=when)
    for ticket in Ticket.objects.filter(order=order):
        minutes = datetime.timedelta(seconds=rng.randint(120, 900 if ticket.station == "KITCHEN" else 360))
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=when,
            started_at=when + minutes / 4 if ticket.started_at else None,
            done_at=when + minutes if ticket.done_at else None,
            updated_at=when + minutes,
        )
    Payment.objects.filter(order=order).update(created_at=F("created_at") + shift)
    Refund.objects.filter(payment__order=order).update(created_at=F("created_at") + shift)
    StatusChange.objects.filter(subject=StatusChange.Subject.ORDER, subject_id=order.pk).update(
        changed_at=F("changed_at") + shift
    )


def _sell(location: Location, *, staff, cook, manager, shift: Shift, items, rng: random.Random) -> Order:
    kind = rng.choices([OrderType.TAKEAWAY, OrderType.DELIVERY], weights=[9, 1])[0]
    customer = CustomerDetails(name="Demo Customer", phone="+33 1 23 45 67 89", address="1 Demo Street")
    discount = {"percent": Decimal("10"), "reason": "Loyalty card"} if rng.random() < 0.12 else None
    order = order_create(
        location=location,
        staff=staff,
        terminal=shift.terminal,
        type=kind,
        lines=_cart(items, rng),
        customer=customer if kind == OrderType.DELIVERY else None,
        discount=discount,
        source=rng.choices(["POS", "API"], weights=[8, 2])[0],
    )
    if order.status == "PENDING" and rng.random() < 0.04:
        return order_status_set(order=order, staff=manager, status="CANCELLED", version=order.version)
    if rng.random() < 0.08 and order.lines.count() > 1:
        line = order.lines.order_by("-pk").first()
        order = order_line_void(
            order=order, line=line, staff=staff, reason="Customer changed mind", version=order.version
        )
    for ticket in order.tickets.all():
        ticket_start(ticket=ticket, staff=cook)
        ticket_bump(ticket=ticket, staff=cook)
    order = Order.objects.select_related("location").get(pk=order.pk)
    order = order_status_set(order=order, staff=staff, status="SERVED", version=order.version)
    tender = rng.choices([Tender.CARD, Tender.CASH, Tender.OTHER], weights=[6, 3, 1])[0]
    tip = rng.choice([Decimal("0"), Decimal("0"), Decimal("0.50"), Decimal("1.00")])
    payment = payment_add(order=order, staff=staff, tender=tender, amount=order.balance_due, tip=tip, shift=shift)
    if rng.random() < 0.03:
        payment_refund(payment=payment, staff=manager, amount=payment.amount, reason="Cold coffee")
    return order


def seed_history(
    location: Location, *, days: int = DEMO_DAYS, orders_per_day: tuple[int, int] = ORDERS_PER_DAY, seed: int = 7
) -> int:
    """Sell `days` days of history at the location (before today); returns how many orders were made."""
    today = location.business_day()
    if Order.objects.filter(location=location, business_day__lt=today).exists():
        return 0
    cashier, cook, manager = demo_people(location)
    items = list(
        MenuItem.objects.filter(location=location, is_active=True, is_sold_out=False).prefetch_related(
            "modifier_groups__modifiers"
        )
    )
    if not (items and cashier and manager):
        return 0
    terminal = Terminal.objects.filter(location=location, kind=Terminal.Kind.POS, revoked_at__isnull=True).first()
    if terminal is None:
        terminal = Terminal.objects.create(
            location=location, name="Demo till", secret_hash=f"demo-{location.pk:x}".ljust(64, "0"), paired_by=manager
        )
    rng = random.Random(f"{seed}-{location.pk}")  # noqa: S311 (demo data, not security)
    made = 0
    for back in range(days, 0, -1):
        day = today - datetime.timedelta(days=back)
        shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("150.00"))
        count = rng.randint(*orders_per_day) + (1 if day.weekday() >= 5 else 0)
        hours = rng.choices(list(HOUR_WEIGHTS), weights=list(HOUR_WEIGHTS.values()), k=count)
        sold = [
            _sell(location, staff=cashier, cook=cook, manager=manager, shift=shift, items=items, rng=rng) for _ in hours
        ]
        for order, hour in zip(sold, sorted(hours), strict=True):  # numbers are per day: move the day at once
            when = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)), tzinfo=location.zone)
            _move(order, when, day, rng)
        made += len(sold)
        closed = shift_close(shift=shift, staff=cashier, counted_cash=Decimal("0"))
        report = {**closed.z_report, "counted_cash": closed.z_report["expected_cash"], "variance": 0}
        closing = datetime.datetime.combine(day, datetime.time(18, 30), tzinfo=location.zone)
        Shift.objects.filter(pk=shift.pk).update(
            opened_at=closing.replace(hour=6, minute=45),
            closed_at=closing,
            counted_cash=closed.expected_cash,
            variance=Decimal("0"),
            z_report=report,
        )
    return made
