"""Kitchen tickets: each action from each ticket state, double bumps, voids on tickets, open tickets."""

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.exceptions import ApplicationError
from cafepos.models import Event
from menu.models import Station
from menu.tests.factories import MenuItemFactory
from orders.models import StatusChange, Ticket
from orders.representations import ticket_representation
from orders.selectors import open_tickets
from orders.services import order_create, order_line_void, order_status_set, ticket_bump, ticket_recall, ticket_start
from orders.tests.factories import OrderFactory, line

pytestmark = pytest.mark.django_db

ACTIONS = {"start": ticket_start, "bump": ticket_bump, "recall": ticket_recall}

# (action, ticket status before) → ticket status after, or the error code. Written from the issue:
# NEW → IN_PROGRESS → DONE, DONE → IN_PROGRESS by recall; a second bump of a DONE ticket is a no-op.
EXPECTED = [
    ("start", "NEW", "IN_PROGRESS"),
    ("start", "IN_PROGRESS", "ticket.illegal_transition"),
    ("start", "DONE", "ticket.illegal_transition"),
    ("bump", "NEW", "ticket.illegal_transition"),
    ("bump", "IN_PROGRESS", "DONE"),
    ("bump", "DONE", "DONE"),
    ("recall", "NEW", "ticket.illegal_transition"),
    ("recall", "IN_PROGRESS", "ticket.illegal_transition"),
    ("recall", "DONE", "IN_PROGRESS"),
]


def ticket_in(status: str, location, cook) -> Ticket:
    ticket = OrderFactory(location=location).tickets.get()
    for action, reached in (("start", "IN_PROGRESS"), ("bump", "DONE")):
        if ticket.status != status:
            ticket = ACTIONS[action](ticket=ticket, staff=cook)
            assert ticket.status == reached
    return ticket


@pytest.mark.parametrize(("action", "before", "after"), EXPECTED)
def test_each_kitchen_action_from_each_ticket_state(location, cook, action, before, after):
    ticket = ticket_in(before, location, cook)
    try:
        result = ACTIONS[action](ticket=ticket, staff=cook).status
    except ApplicationError as error:
        result = error.code
    assert result == after
    if result.startswith("ticket."):
        assert Ticket.objects.get(pk=ticket.pk).status == before


def test_a_double_bump_makes_one_transition_and_one_event(location, cook):
    ticket = ticket_in("IN_PROGRESS", location, cook)
    ticket_bump(ticket=ticket, staff=cook)
    events_before = Event.objects.count()
    again = ticket_bump(ticket=ticket, staff=cook)
    assert again.status == "DONE"
    assert Event.objects.count() == events_before
    assert StatusChange.objects.filter(subject="TICKET", subject_id=ticket.pk, to_status="DONE").count() == 1


def test_ticket_times_follow_its_transitions(location, cook):
    ticket = ticket_in("DONE", location, cook)
    assert ticket.started_at <= ticket.done_at
    recalled = ticket_recall(ticket=ticket, staff=cook)
    assert (recalled.started_at, recalled.done_at) == (ticket.started_at, None)


def test_only_staff_of_the_location_work_its_tickets(location):
    ticket = OrderFactory(location=location).tickets.get()
    with pytest.raises(ApplicationError) as error:
        ticket_start(ticket=ticket, staff=staff(LocationFactory(), Role.KITCHEN))
    assert error.value.code == "permission.denied"


def test_a_voided_line_stays_on_its_ticket_as_void(location, cashier):
    soup, bread = MenuItemFactory(location=location, name="Soup"), MenuItemFactory(location=location, name="Bread")
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(soup), line(bread)])
    order_line_void(order=order, line=order.lines.get(name="Bread"), staff=cashier, reason="no bread", version=1)
    [shown] = [ticket_representation(t) for t in open_tickets(location, Station.KITCHEN)]
    assert [(i["name"], i["voided"]) for i in shown["items"]] == [("Soup", False), ("Bread", True)]
    event = Event.objects.filter(type="ticket.updated").get()
    assert [i["voided"] for i in event.data["ticket"]["items"]] == [False, True]


def test_cancelling_an_order_tells_the_kitchen_its_tickets_are_off(location, cashier):
    drink = MenuItemFactory(location=location, station=Station.BAR)
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(drink)])

    order_status_set(order=order, staff=cashier, status="CANCELLED", version=1)

    [event] = Event.objects.filter(type="ticket.updated")
    assert (event.data["ticket"]["id"], event.data["ticket"]["order_status"]) == (order.tickets.get().pk, "CANCELLED")


def test_open_tickets_are_a_stations_unfinished_tickets_of_live_orders_oldest_first(location, cashier, cook):
    food, drink = MenuItemFactory(location=location), MenuItemFactory(location=location, station=Station.BAR)
    first = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food), line(drink)])
    second = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food)])
    cancelled = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food)])
    order_status_set(order=cancelled, staff=cashier, status="CANCELLED", version=1)
    done = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food)]).tickets.get()
    ticket_bump(ticket=ticket_start(ticket=done, staff=cook), staff=cook)
    OrderFactory()  # another location
    kitchen = list(open_tickets(location, Station.KITCHEN))
    assert [t.order_id for t in kitchen] == [first.pk, second.pk]
    assert [t.order_id for t in open_tickets(location, Station.BAR)] == [first.pk]


def test_open_tickets_are_represented_in_a_fixed_number_of_queries(location, cashier, django_assert_max_num_queries):
    food = MenuItemFactory(location=location)
    for _ in range(5):
        order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food), line(food, 2)])
    with django_assert_max_num_queries(3):
        shown = [ticket_representation(t) for t in open_tickets(location, Station.KITCHEN)]
    assert len(shown) == 5
