"""The POS terminal in Chromium against a live uvicorn on the PostgreSQL test database and Redis.

The seed's whole flow from pairing to the receipt; offline for real (the server process stopped) with the
outbox sent exactly once afterwards; a double tap and a lost answer making one order; sold-out items greyed
out live; split payments; a discount approved with a manager's PIN; a refused order fixed by the user.
Writes made from this process that emit events run in a thread (the outbox publisher calls the channel
layer synchronously, which it cannot do beside Playwright's event loop).
"""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from accounts.models import Role, Terminal
from accounts.tests.factories import paired_terminal, staff
from cafepos.tests.concurrency import child_process_env
from orders.models import Order, OrderStatus, PaymentStatus, Tender
from orders.tests.factories import ShiftFactory
from realtime.tests.live_asgi import AsgiServer

from .pos import PIN, make_cafe, session_cookies

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000


@pytest.fixture
def server(transactional_db):
    env = {key: value for key, value in child_process_env().items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    live = AsgiServer(env=env)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def cafe(transactional_db):
    return make_cafe()


@pytest.fixture
def pos(browser_page):
    """The page, failing the test on any script error or Content Security Policy violation it reports."""
    page, problems = browser_page, []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and ("Content Security Policy" in message.text or "Uncaught" in message.text)
            else None
        ),
    )
    yield page
    assert problems == []


def in_a_thread(function):
    def run():
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result(timeout=30)


def open_register(page, server, cafe, user=None, path="/pos/"):
    user = user or cafe.cashier
    page.context.add_cookies(session_cookies(terminal=cafe.terminal, secret=cafe.secret, user=user, url=server.url))
    page.goto(server.url + path)
    expect(page.locator("html")).to_have_attribute("data-live", "yes", timeout=WAIT_MS)


def tile(page, name):
    return page.locator("[data-item]", has=page.locator(".item-name", has_text=name))


def add_latte(page, *sizes_and_milk):
    page.get_by_role("tab", name="Coffee").click()
    tile(page, "Latte").click()
    dialog = page.locator("[data-mod-dialog]")
    expect(dialog.locator("[data-mod-add]")).to_be_disabled()  # Size is required
    for name in sizes_and_milk:
        dialog.locator("[data-modifier]", has_text=name).click()
    dialog.locator("[data-mod-add]").click()
    expect(dialog).to_be_hidden()


def add_item(page, category, name):
    page.get_by_role("tab", name=category).click()
    tile(page, name).click()


def expect_confirmed_total(page, text):
    expect(page.locator("[data-totals-state]")).to_have_attribute("data-state", "confirmed", timeout=WAIT_MS)
    expect(page.locator('[data-total="total"]')).to_have_text(text)


def outbox_pill(page):
    return page.locator("[data-connection]")


# -- 3. exactly once: a double tap, a lost answer; sold out greys out live -----------------------------------


def test_a_double_tap_on_send_makes_one_order(pos, server, cafe):
    open_register(pos, server, cafe)
    add_item(pos, "Food", "Croissant")
    expect_confirmed_total(pos, "€2.00")

    pos.locator("[data-send]").dblclick()

    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    assert Order.objects.count() == 1
    assert pos.locator("[data-cart-lines] li").count() == 0


def test_an_answer_lost_on_the_way_back_is_retried_into_the_same_order(pos, server, cafe):
    # Given the server's answer to the first create is lost (the order is made, the browser never hears)
    open_register(pos, server, cafe)
    lost = []

    def lose_first_answer(route):
        if lost:
            return route.continue_()
        lost.append(route.fetch())  # the server creates the order...
        return route.abort()  # ...and the terminal sees a dropped connection

    pos.route("**/api/v1/orders/", lose_first_answer)
    add_item(pos, "Food", "Croissant")

    # When it is sent, it waits in the outbox and is retried with the same key
    pos.locator("[data-send]").click()

    # Then the retry gets the original order back: one order, nothing left waiting
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    expect(outbox_pill(pos)).to_have_text("Online")
    assert lost[0].status == 201
    assert Order.objects.count() == 1


def test_an_item_marked_sold_out_in_admin_greys_out_on_an_open_register(pos, server, cafe):
    open_register(pos, server, cafe)
    add_item(pos, "Food", "Toast")
    expect(tile(pos, "Toast")).not_to_have_class("is-sold-out")
    owner = staff(cafe.location, Role.OWNER)

    def mark_sold_out_in_admin():
        admin = Client()
        admin.force_login(owner)
        body = {"action": "mark_sold_out", "_selected_action": [cafe.toast.pk], "index": 0}
        assert admin.post("/admin/menu/menuitem/", body).status_code == 302

    in_a_thread(mark_sold_out_in_admin)

    expect(tile(pos, "Toast")).to_have_class("item is-sold-out", timeout=WAIT_MS)
    expect(tile(pos, "Toast")).to_contain_text("Sold out")
    expect(pos.locator("[data-cart-lines] .line-warning")).to_have_text("Sold out")
    tile(pos, "Toast").click(force=True)  # aria-disabled, yet a tap explains why
    expect(pos.locator("[data-toast]")).to_have_text("Toast is sold out.")
