"""Concurrency on the real database: threads with their own connections racing through the services."""

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.db import connection

from cafepos.exceptions import ApplicationError
from cafepos.idempotency import idempotent
from cafepos.models import Event
from menu.models import Station
from menu.tests.factories import MenuItemFactory
from orders.models import Order, Payment, StatusChange, Tender, Ticket
from orders.representations import order_representation
from orders.services import (
    order_create,
    order_lines_add,
    payment_add,
    shift_close,
    shift_open,
    ticket_bump,
    ticket_start,
)
from orders.tests.factories import OrderFactory, line

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(count: int, work) -> list:
    """Run `work(i)` in `count` threads released together; each returns its result or the ApplicationError."""
    barrier = threading.Barrier(count)

    def one(i):
        try:
            barrier.wait()
            return work(i)
        except ApplicationError as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_order_numbers_and_event_seqs_have_no_gaps_under_concurrent_creation(location, cashier):
    item = MenuItemFactory(location=location)

    def take_orders(_):
        return [
            order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)]).number for _ in range(4)
        ]

    numbers = sorted(n for batch in race(8, take_orders) for n in batch)
    assert numbers == list(range(1, 33))
    seqs = list(Event.objects.filter(location_id=location.pk).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 65))  # order.created and ticket.created for each


def test_concurrent_requests_with_one_idempotency_key_create_one_order(location, cashier):
    item = MenuItemFactory(location=location)
    cart = [line(item, 2)]
    request = {"type": "TAKEAWAY", "items": [asdict(entry) for entry in cart]}  # the body, as JSON has it

    def create(_):
        return idempotent(
            scope=f"user:{cashier.pk}:orders.create",
            key="till-1-order-42",
            request=request,
            execute=lambda: (
                201,
                order_representation(order_create(location=location, staff=cashier, type="TAKEAWAY", lines=cart)),
            ),
        )

    results = race(6, create)
    assert Order.objects.count() == 1
    order_id = Order.objects.get().pk
    answered = [r for r in results if not isinstance(r, ApplicationError)]
    assert [r.replayed for r in answered].count(False) == 1
    assert all(r.status == 201 and r.body["id"] == order_id for r in answered)
    assert all(r.code == "idempotency.in_progress" for r in results if isinstance(r, ApplicationError))
    # and a later retry replays the stored answer
    assert create(0).replayed and create(0).body["id"] == order_id


def test_an_idempotency_key_reused_for_another_request_is_refused(location, cashier):
    items = [MenuItemFactory(location=location) for _ in range(2)]

    def create(item):
        return idempotent(
            scope=f"user:{cashier.pk}:orders.create",
            key="k-1",
            request={"items": [asdict(line(item))]},
            execute=lambda: (
                201,
                order_representation(
                    order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)])
                ),
            ),
        )

    create(items[0])
    with pytest.raises(ApplicationError) as error:
        create(items[1])
    assert error.value.code == "idempotency.key_reused" and error.value.status == 409
    assert Order.objects.count() == 1


def test_a_double_submit_of_new_lines_sends_one_ticket(location, cashier):
    food = MenuItemFactory(location=location, station=Station.KITCHEN)
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food)])

    results = race(4, lambda _: order_lines_add(order=order, staff=cashier, lines=[line(food)], version=1))
    assert sum(isinstance(r, Order) for r in results) == 1
    assert {r.code for r in results if isinstance(r, ApplicationError)} == {"order.version_conflict"}
    assert Ticket.objects.filter(order=order).count() == 2


def test_two_screens_bumping_one_ticket_make_one_transition(location, cook):
    order = OrderFactory(location=location)
    ticket = order.tickets.get()
    ticket_start(ticket=ticket, staff=cook)
    results = race(4, lambda _: ticket_bump(ticket=ticket, staff=cook))
    assert all(r.status == "DONE" for r in results)
    assert StatusChange.objects.filter(subject="TICKET", subject_id=ticket.pk, to_status="DONE").count() == 1
    assert StatusChange.objects.filter(subject="ORDER", subject_id=order.pk, to_status="READY").count() == 1


def test_a_close_racing_with_payments_reports_exactly_what_committed_before_it(location, cashier, terminal):
    item = MenuItemFactory(location=location, price=Decimal("2.00"))
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("0"))
    orders = [
        order_create(location=location, staff=cashier, terminal=terminal, type="TAKEAWAY", lines=[line(item)])
        for _ in range(7)
    ]

    def pay_or_close(i):
        if i == 3:
            return shift_close(shift=shift, staff=cashier, counted_cash=Decimal("0"))
        order = orders[i if i < 3 else i - 1]
        return payment_add(order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("2.00"), shift=shift)

    results = race(8, pay_or_close)
    shift.refresh_from_db()
    in_shift = Payment.objects.filter(shift=shift)
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert {r.code for r in refused} <= {"shift.closed"}
    assert in_shift.count() + len(refused) == 7
    assert shift.z_report["tenders"]["CASH"] == {"count": in_shift.count(), "amount": 200 * in_shift.count(), "tips": 0}
    assert shift.expected_cash == Decimal("2.00") * in_shift.count()
