"""The /kitchen/ page: who may open it, what it starts with, and that it stays cheap and script-clean."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from accounts.models import Terminal
from accounts.tests.factories import paired_terminal
from cafepos.models import LocationSequence
from orders.models import Order, OrderStatus, Ticket
from orders.selectors import RECENT_DONE_MINUTES, RECENT_DONE_TICKETS
from orders.services import order_status_set, ticket_bump, ticket_start
from orders.tests.factories import OrderFactory, line
from testing.cafes import make_cafe, terminal_session_cookies

pytestmark = pytest.mark.django_db


def signed_in(client, cafe, user, terminal=None, secret=None):
    cookies = terminal_session_cookies(terminal=terminal or cafe.terminal, secret=secret or cafe.secret, user=user)
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def display_of(response) -> dict:
    match = re.search(r'<script id="kds-display" type="application/json">(.*?)</script>', response.text, re.S)
    return json.loads(match.group(1))


def test_the_kitchen_sees_its_open_tickets_oldest_first_with_the_outbox_position(client):
    # Given orders for the kitchen and the bar, one kitchen ticket already done
    cafe = make_cafe()
    first = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item, note="no salt")])
    second = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item, 2)])
    OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.bar_item)])
    finished = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item)])
    ticket_start(ticket=finished.tickets.get(), staff=cafe.cook)
    ticket_bump(ticket=finished.tickets.get(), staff=cafe.cook)
    # When a cook opens the display
    response = signed_in(client, cafe, cafe.cook).get("/kitchen/")
    # Then it lists the open kitchen tickets, oldest first, and the seq to resync from
    assert response.status_code == 200
    display = display_of(response)
    assert [ticket["order_id"] for ticket in display["tickets"]] == [first.pk, second.pk]
    assert display["tickets"][0]["items"][0]["note"] == "no salt"
    assert display["station"] == "KITCHEN"
    assert display["since"] == LocationSequence.objects.get(location_id=cafe.location.pk).last_seq
    assert display["amberMinutes"] == cafe.location.kitchen_amber_minutes
    assert display["redMinutes"] == cafe.location.kitchen_red_minutes


def bumped(cafe, item):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(item)])
    ticket = ticket_start(ticket=order.tickets.get(), staff=cafe.cook)
    return ticket_bump(ticket=ticket, staff=cafe.cook)


def test_the_display_starts_with_the_stations_recent_bumps_newest_first_for_recall(client):
    # Given kitchen tickets bumped long ago, just now, on a served order, at the bar, and more than the column keeps
    cafe = make_cafe()
    old = bumped(cafe, cafe.kitchen_item)
    Ticket.objects.filter(pk=old.pk).update(
        done_at=timezone.now() - datetime.timedelta(minutes=RECENT_DONE_MINUTES + 1)
    )
    served = bumped(cafe, cafe.kitchen_item)
    order = Order.objects.get(pk=served.order_id)
    order_status_set(order=order, status=OrderStatus.SERVED, staff=cafe.cashier, version=order.version)
    bumped(cafe, cafe.bar_item)
    recent = [bumped(cafe, cafe.kitchen_item) for _ in range(RECENT_DONE_TICKETS + 1)]
    # When a cook opens the kitchen display
    display = display_of(signed_in(client, cafe, cafe.cook).get("/kitchen/"))
    # Then its Done column holds the newest recallable kitchen bumps, as many as it keeps
    assert [ticket["id"] for ticket in display["done"]] == [t.pk for t in reversed(recent)][:RECENT_DONE_TICKETS]
    assert {ticket["status"] for ticket in display["done"]} == {"DONE"}
    assert display["doneKept"] == RECENT_DONE_TICKETS


def test_the_bar_display_lists_bar_tickets(client):
    cafe = make_cafe()
    bar_order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.bar_item)])
    OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item)])
    display = display_of(signed_in(client, cafe, cafe.manager).get("/kitchen/?station=BAR"))
    assert [ticket["order_id"] for ticket in display["tickets"]] == [bar_order.pk]


def test_a_cashier_may_not_open_the_kitchen_display(client):
    cafe = make_cafe()
    response = signed_in(client, cafe, cafe.cashier).get("/kitchen/")
    assert response.status_code == 403


def test_a_pos_terminal_is_sent_to_its_own_page(client):
    cafe = make_cafe()
    terminal, secret = paired_terminal(location=cafe.location, kind=Terminal.Kind.POS)
    response = signed_in(client, cafe, cafe.cook, terminal=terminal, secret=secret).get("/kitchen/")
    assert response.status_code == 302
    assert response.url == "/pos/"


def test_an_unpaired_browser_is_sent_to_pairing(client):
    response = client.get("/kitchen/")
    assert response.status_code == 302
    assert response.url == "/terminal/pair/"


def test_the_page_costs_the_same_queries_for_many_tickets(client, django_assert_max_num_queries):
    cafe = make_cafe()
    for _ in range(8):
        OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item, 2)])
    for _ in range(RECENT_DONE_TICKETS + 4):
        bumped(cafe, cafe.kitchen_item)
    signed_in(client, cafe, cafe.cook)
    with django_assert_max_num_queries(13):
        response = client.get("/kitchen/")
    assert len(display_of(response)["tickets"]) == 8
    assert len(display_of(response)["done"]) == RECENT_DONE_TICKETS


def test_the_page_loads_only_its_own_static_scripts(client):
    cafe = make_cafe()
    response = signed_in(client, cafe, cafe.cook).get("/kitchen/")
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self' ws://testserver wss://testserver; worker-src 'self'; manifest-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert all('type="application/json"' in attributes or "src=" in attributes for attributes in scripts)
    sources = re.findall(r'src="([^"]+)"', response.text)
    assert "/static/realtime/kitchen.js" in sources
    assert all(source.startswith("/static/") for source in sources)
    assert client.get("/static/realtime/kitchen.js").status_code == 200
    assert client.get("/static/realtime/kitchen.css").status_code == 200
