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


def open_display(page, server, cafe, user):
    page.context.add_cookies(
        [{"name": name, "value": value, "url": server.url} for name, value in cafe.cookies(user).items()]
    )
    page.goto(f"{server.url}/kitchen/")
    expect(page.locator("[data-kds-status]")).to_have_text("Live", timeout=WAIT_MS)


def test_a_bumped_ticket_is_still_done_after_a_reload_and_recalled_from_there(browser_page, server):
    page = browser_page
    # Given a ticket started and bumped on the display
    cafe = make_cafe()
    order = in_a_thread(
        lambda: OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item)])
    )
    ticket = order.tickets.get()
    open_display(page, server, cafe, cafe.cook)
    card = page.locator(f'.ticket[data-ticket-id="{ticket.pk}"]')
    card.get_by_role("button", name="Start").click()
    expect(card).to_have_attribute("data-status", "IN_PROGRESS", timeout=WAIT_MS)
    card.get_by_role("button", name="Bump").click()
    expect(card).to_have_count(0, timeout=WAIT_MS)

    # When the display reloads, the ticket is still in the Done column
    page.reload()
    expect(page.locator("[data-kds-status]")).to_have_text("Live", timeout=WAIT_MS)
    done = page.locator(f'.kds-done-item[data-ticket-id="{ticket.pk}"]')
    expect(done).to_contain_text(order.display_number)

    # Then recalling it from there brings it back in progress, and the order back to PREPARING
    done.get_by_role("button", name="Recall").click()
    expect(card).to_have_attribute("data-status", "IN_PROGRESS", timeout=WAIT_MS)
    expect(done).to_have_count(0)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PREPARING


def test_the_top_bar_keeps_every_control_on_one_line_while_the_connection_is_lost(browser_page, server):
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    # Given a display at a cafe with a long name, signed in by a cook with a long name
    cafe = make_cafe(name="Café am Alten Marktplatz")
    cafe.cook.full_name = "Maximiliane Oberhofer-Schmidt"
    cafe.cook.save(update_fields=["full_name"])
    open_display(page, server, cafe, cafe.cook)

    # When the connection is lost and the banner shows
    server.stop()
    expect(page.locator("[data-kds-banner]")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("[data-kds-banner]")).to_contain_text("retrying in", timeout=WAIT_MS)

    # Then the top bar's buttons and the staff member's name each sit on one line, uncut, inside the bar
    bar = page.locator(".topbar").bounding_box()
    for control in [
        page.get_by_role("button", name="Sound off"),
        page.get_by_role("button", name="Sign out"),
        page.locator(".topbar .kds-where-staff"),
        page.locator("[data-kds-status]"),
    ]:
        fits = control.evaluate(
            """(node) => {
                const lineHeight = parseFloat(getComputedStyle(node).lineHeight) || 20;
                const box = node.getBoundingClientRect();
                const text = document.createRange();
                text.selectNodeContents(node);
                return {
                    oneLine: text.getBoundingClientRect().height < 1.6 * lineHeight,
                    uncut: node.scrollWidth <= node.clientWidth + 1,
                    right: box.right, left: box.left,
                };
            }"""
        )
        assert fits["oneLine"] and fits["uncut"], (control, fits)
        assert bar["x"] <= fits["left"] and fits["right"] <= bar["x"] + bar["width"], (control, fits)
    expect(page.locator(".topbar .where")).to_contain_text("Maximiliane Oberhofer-Schmidt")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # And on a phone-sized screen the bar still fits: the place's name goes, the cook's name gives way
    page.set_viewport_size({"width": 600, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
