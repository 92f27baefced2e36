"""The kitchen display in Chromium against a live uvicorn: live tickets, start and bump, reconnect and resync.

The first order comes through the server's API; the one placed while the server is down goes through the
services in this process, whose events reach the channels-redis layer too. Both processes share the
PostgreSQL test database, so the test needs PostgreSQL and Redis.
"""

import json
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import expect
from rest_framework_simplejwt.tokens import AccessToken

from orders.models import Order, OrderStatus
from orders.tests.factories import OrderFactory, line
from testing.cafes import make_cafe

from .live_asgi import AsgiServer

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT_MS = 20_000


def in_a_thread(function):
    """Run ORM writes off the Playwright thread: the outbox publisher calls the channel layer synchronously."""

    def run():
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result(timeout=30)


def api_order_create(server: AsgiServer, cashier, item) -> Order:
    request = urllib.request.Request(
        f"{server.url}/api/v1/orders/",
        data=json.dumps({"type": "TAKEAWAY", "items": [{"menu_item_id": item.pk, "quantity": 2}]}).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {AccessToken.for_user(cashier)}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return Order.objects.get(pk=json.load(response)["id"])


def test_the_kitchen_display_shows_works_and_recovers_tickets_live(browser_page, server):
    page = browser_page
    # Given a cook signed in on a paired kitchen display
    cafe = make_cafe()
    page.context.add_cookies(
        [{"name": name, "value": value, "url": server.url} for name, value in cafe.cookies(cafe.cook).items()]
    )
    page.goto(f"{server.url}/kitchen/")
    expect(page.locator("[data-kds-status]")).to_have_text("Live", timeout=WAIT_MS)
    expect(page.locator("[data-kds-empty]")).to_be_visible()

    # When an order is placed through the API, its ticket appears without a reload
    order = api_order_create(server, cafe.cashier, cafe.kitchen_item)
    ticket = order.tickets.get()
    card = page.locator(f'.ticket[data-ticket-id="{ticket.pk}"]')
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card.locator(".ticket-number")).to_have_text(order.display_number)
    expect(card.locator(".ticket-qty")).to_have_text("2×")

    # And it is started and bumped there, which makes the order READY
    card.get_by_role("button", name="Start").click()
    expect(card).to_have_attribute("data-status", "IN_PROGRESS", timeout=WAIT_MS)
    card.get_by_role("button", name="Bump").click()
    expect(card).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator(f'.kds-done-item[data-ticket-id="{ticket.pk}"]')).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.READY

    # When the server goes away, the display says so; an order placed meanwhile is not lost
    server.stop()
    expect(page.locator("[data-kds-banner]")).to_be_visible(timeout=WAIT_MS)
    missed = in_a_thread(
        lambda: OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item)])
    )
    server.start()

    # Then after reconnecting by itself the display resyncs and shows it
    missed_card = page.locator(f'.ticket[data-ticket-id="{missed.tickets.get().pk}"]')
    expect(missed_card).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("[data-kds-banner]")).to_be_hidden()
    expect(page.locator("[data-kds-status]")).to_have_text("Live")
    expect(page.locator(".ticket")).to_have_count(1)
