"""The order lifecycle through the services: every transition a person may ask for, from every state and
role, against a literal table; and the system's own transitions, each triggered by what the issue names."""

import itertools
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import staff
from cafepos.exceptions import ApplicationError
from menu.models import Station
from menu.tests.factories import MenuItemFactory
from orders.models import Order, OrderStatus, StatusChange, Tender
from orders.services import (
    order_create,
    order_lines_add,
    order_status_set,
    payment_add,
    payment_refund,
    ticket_bump,
    ticket_recall,
    ticket_start,
)
from orders.tests.factories import OrderFactory, line, order_at_status

STATUSES = ["PENDING", "PREPARING", "READY", "SERVED", "COMPLETED", "CANCELLED"]
ROLES = ["OWNER", "MANAGER", "CASHIER", "KITCHEN"]

# What a person asking for a status gets, from the table: the new status, or the error code.
# Every (from, to) pair not listed is `order.illegal_transition` for every role.
MANUAL = {
    ("READY", "SERVED"): {
        "OWNER": "SERVED",
        "MANAGER": "SERVED",
        "CASHIER": "SERVED",
        "KITCHEN": "order.transition_forbidden",
    },
    ("PENDING", "CANCELLED"): {
        "OWNER": "CANCELLED",
        "MANAGER": "CANCELLED",
        "CASHIER": "CANCELLED",
        "KITCHEN": "order.transition_forbidden",
    },
    ("PREPARING", "CANCELLED"): {
        "OWNER": "CANCELLED",
        "MANAGER": "CANCELLED",
        "CASHIER": "order.transition_forbidden",
        "KITCHEN": "order.transition_forbidden",
    },
}


def expected(from_status, to_status, role):
    return MANUAL.get((from_status, to_status), {}).get(role, "order.illegal_transition")


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status", "role"), list(itertools.product(STATUSES, STATUSES, ROLES)))
def test_a_person_may_only_make_the_transitions_of_the_table(location, from_status, to_status, role):
    # given an order in `from_status` and a staff member with `role`
    order = order_at_status(from_status, location=location)
    person = staff(location, role)
    # when they ask for `to_status`
    try:
        result = order_status_set(order=order, staff=person, status=to_status, version=order.version).status
    except ApplicationError as error:
        result = error.code
    # then they get what the table says, and a refused request changes nothing
    assert result == expected(from_status, to_status, role)
    order_now = Order.objects.get(pk=order.pk)
    if result.startswith("order."):
        assert (order_now.status, order_now.version) == (from_status, order.version)


@pytest.mark.django_db
def test_a_ticket_start_moves_a_pending_order_to_preparing(location, cook):
    order = order_at_status("PENDING", location=location)
    ticket_start(ticket=order.tickets.get(), staff=cook)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PREPARING


@pytest.mark.django_db
def test_lines_for_a_station_move_a_pending_order_to_preparing(location, cashier):
    order = order_at_status("PENDING", location=location)
    item = MenuItemFactory(location=location, station=Station.BAR)
    order = order_lines_add(order=order, staff=cashier, lines=[line(item)], version=order.version)
    assert order.status == OrderStatus.PREPARING


@pytest.mark.django_db
def test_an_order_without_station_lines_is_ready_at_once(location, cashier):
    cookie = MenuItemFactory(location=location, station=Station.NONE)
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(cookie)])
    assert order.status == OrderStatus.READY
    assert not order.tickets.exists()


@pytest.mark.django_db
def test_an_orders_note_keeps_its_line_breaks_without_the_blanks_around_it(location, cashier):
    # given a note typed on two lines, with blanks around it (the kitchen reads it as typed)
    cookie = MenuItemFactory(location=location, station=Station.NONE)

    # when the order is taken
    order = order_create(
        location=location, staff=cashier, type="TAKEAWAY", lines=[line(cookie)], note="  no nuts\r\nextra hot\t\n"
    )

    # then the note keeps its line break (as \n) and its inner words, not the blanks around it
    assert Order.objects.get(pk=order.pk).note == "no nuts\nextra hot"


@pytest.mark.django_db
def test_the_order_is_ready_only_when_every_ticket_is_done(location, cashier, cook):
    # given an order with a kitchen and a bar ticket, both started
    food = MenuItemFactory(location=location, station=Station.KITCHEN)
    drink = MenuItemFactory(location=location, station=Station.BAR)
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food), line(drink)])
    kitchen, bar = order.tickets.get(station="KITCHEN"), order.tickets.get(station="BAR")
    ticket_start(ticket=kitchen, staff=cook)
    ticket_start(ticket=bar, staff=cook)
    # when one is bumped the order still cooks; when the other is, it is ready
    ticket_bump(ticket=kitchen, staff=cook)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PREPARING
    ticket_bump(ticket=bar, staff=cook)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.READY


@pytest.mark.django_db
def test_a_recall_brings_a_ready_order_back_to_preparing(location, cook):
    order = order_at_status("READY", location=location)
    ticket_recall(ticket=order.tickets.get(), staff=cook)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PREPARING


@pytest.mark.django_db
def test_a_recall_is_refused_once_the_order_is_served(location, cook):
    order = order_at_status("SERVED", location=location)
    with pytest.raises(ApplicationError) as error:
        ticket_recall(ticket=order.tickets.get(), staff=cook)
    assert error.value.code == "order.illegal_transition"
    assert order.tickets.get().status == "DONE"


@pytest.mark.django_db
def test_lines_added_after_ready_move_the_order_back_to_preparing(location, cashier):
    order = order_at_status("READY", location=location)
    item = MenuItemFactory(location=location, station=Station.KITCHEN)
    order = order_lines_add(order=order, staff=cashier, lines=[line(item)], version=order.version)
    assert order.status == OrderStatus.PREPARING


@pytest.mark.django_db
def test_a_served_order_completes_with_its_last_payment(location, cashier):
    order = order_at_status("SERVED", location=location)
    payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=order.total - Decimal("1.00"))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SERVED
    payment_add(order=Order.objects.get(pk=order.pk), staff=cashier, tender=Tender.CARD, amount=Decimal("1.00"))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED


@pytest.mark.django_db
def test_a_paid_order_completes_when_it_is_served(location, cashier):
    order = order_at_status("READY", location=location)
    payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=order.total)
    order = Order.objects.select_related("location").get(pk=order.pk)
    order = order_status_set(order=order, staff=cashier, status="SERVED", version=order.version)
    assert order.status == OrderStatus.COMPLETED


@pytest.mark.django_db
def test_cancelling_is_refused_once_money_is_taken_until_it_is_refunded(location, cashier, manager):
    # given a pending order partly paid by card
    order = order_at_status("PENDING", location=location)
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("1.00"))
    order = Order.objects.select_related("location").get(pk=order.pk)
    # when cancelled, then refused
    with pytest.raises(ApplicationError) as error:
        order_status_set(order=order, staff=manager, status="CANCELLED", version=order.version)
    assert error.value.code == "order.refund_first"
    # when the payment is refunded, then it may be cancelled
    payment_refund(payment=payment, staff=manager, amount=Decimal("1.00"), reason="guest left")
    order = Order.objects.select_related("location").get(pk=order.pk)
    order = order_status_set(order=order, staff=manager, status="CANCELLED", version=order.version)
    assert order.status == OrderStatus.CANCELLED


@pytest.mark.django_db
def test_every_transition_is_recorded_with_who_and_whether_the_system_made_it(location, cashier):
    order = order_at_status("COMPLETED", location=location, staff=cashier)
    changes = StatusChange.objects.filter(subject="ORDER", subject_id=order.pk).order_by("id")
    path = [(c.from_status, c.to_status, c.automatic) for c in changes]
    assert path == [
        ("", "PENDING", False),
        ("PENDING", "PREPARING", True),
        ("PREPARING", "READY", True),
        ("READY", "SERVED", False),
        ("SERVED", "COMPLETED", True),
    ]
    assert changes.get(to_status="SERVED").changed_by == cashier
    assert all(c.changed_at for c in changes)


@pytest.mark.django_db
def test_only_a_front_of_house_member_of_the_location_takes_orders(location):
    outsider = staff(OrderFactory().location, Role.CASHIER)
    item = MenuItemFactory(location=location)
    for person in (outsider, staff(location, Role.KITCHEN)):
        with pytest.raises(ApplicationError) as error:
            order_create(location=location, staff=person, type="TAKEAWAY", lines=[line(item)])
        assert error.value.status == 403


@pytest.mark.django_db
def test_a_refused_move_names_the_statuses_in_words_not_codes(location, cook):
    order = order_at_status("SERVED", location=location)
    with pytest.raises(ApplicationError) as error:
        ticket_recall(ticket=order.tickets.get(), staff=cook)
    assert error.value.message == "An order cannot be moved from Served to Preparing."
    assert error.value.fields == {"status": ["Served → Preparing is not allowed."]}


@pytest.mark.django_db
def test_a_ticket_action_from_the_wrong_status_is_refused_in_words(location, cook):
    order = order_at_status("PREPARING", location=location)
    ticket = order.tickets.get()
    ticket_bump(ticket=ticket, staff=cook)
    with pytest.raises(ApplicationError) as error:
        ticket_start(ticket=ticket, staff=cook)
    assert error.value.message == "Only a ticket that is New can be started; this one is Done."
    assert error.value.fields == {"status": ["A ticket that is Done cannot be started."]}
