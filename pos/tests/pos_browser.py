"""Browser helpers for the POS tests (Playwright on Debian's Chromium against the live uvicorn of the
`asgi_server` fixture in conftest.py): open the register as a staff member and drive its screens."""

from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from playwright.sync_api import expect

from .pos import session_cookies

WAIT_MS = 15_000


def in_a_thread(function):
    """Run ORM writes that emit events off the Playwright thread: the outbox publisher calls the channel layer
    synchronously, which it cannot do beside Playwright's event loop."""

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
    expect(dialog.locator("[data-mod-title]")).to_have_text("Latte")
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


def expect_paid(pay, *, change="€0.00", title="Paid in full"):
    expect(pay.locator("[data-pay-done]")).to_be_visible()
    expect(pay.locator("[data-pay-done-title]")).to_have_text(title)
    expect(pay.locator("[data-pay-done-change]")).to_have_text(change)


def outbox_pill(page):
    return page.locator("[data-connection]")
