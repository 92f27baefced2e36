"""The kitchen display for everyone: axe-core finds no serious or critical WCAG 2.1 A/AA violation (testing/axe.py),
a new ticket is announced to screen readers, and the display works from a keyboard as from a bump bar (1–9 select
the nth ticket, arrows move, Enter its next step, S start, B bump, R recall the last done)."""

import pytest
from playwright.sync_api import expect

from orders.models import TicketStatus
from orders.services import ticket_start
from orders.tests.factories import OrderFactory, line
from tables.tests.factories import TableFactory
from testing.axe import assert_accessible
from testing.cafes import make_cafe

from .test_kitchen_browser import WAIT_MS, in_a_thread

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def open_kitchen(page, server, cafe, user):
    cookies = cafe.cookies(user)
    page.context.add_cookies([{"name": name, "value": value, "url": server.url} for name, value in cookies.items()])
    page.goto(f"{server.url}/kitchen/")


def kitchen_order(cafe, **fields):
    return in_a_thread(
        lambda: OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item)], **fields)
    )


def test_the_kitchen_display_passes_axe_and_announces_a_new_ticket(browser_page, server):
    page = browser_page
    cafe = make_cafe()
    kitchen_order(cafe)
    for started in (kitchen_order(cafe), kitchen_order(cafe)):
        in_a_thread(lambda order=started: ticket_start(ticket=order.tickets.get(), staff=cafe.cook))
    table = TableFactory(location=cafe.location, label="3")  # the display knows the tables it opened with
    open_kitchen(page, server, cafe, cafe.cook)
    expect(page.locator("[data-kds-status]")).to_have_text("Live", timeout=WAIT_MS)
    page.get_by_role("button", name="Bump").first.click()
    expect(page.locator(".kds-done-item")).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator(".ticket")).to_have_count(2)
    assert_accessible(page, where="the kitchen display with new, started and done tickets")

    # A new ticket is said in the polite live region
    order = kitchen_order(cafe, type="DINE_IN", table=table)
    expect(page.locator("[data-kds-announce]")).to_have_text(
        f"New ticket {order.display_number} for Table 3", timeout=WAIT_MS
    )
    expect(page.locator("[data-kds-announce]")).to_have_attribute("aria-live", "polite")

    # The forbidden page, for a cashier on the kitchen's terminal
    open_kitchen(page, server, cafe, cafe.cashier)
    expect(page.locator("h1")).to_have_text("Kitchen display")
    assert_accessible(page, where="the kitchen display's forbidden page")


def test_tickets_are_selected_started_bumped_and_recalled_from_the_keyboard(browser_page, server):
    page = browser_page
    cafe = make_cafe()
    first, second, third = kitchen_order(cafe), kitchen_order(cafe), kitchen_order(cafe)
    open_kitchen(page, server, cafe, cafe.cook)
    expect(page.locator("[data-kds-status]")).to_have_text("Live", timeout=WAIT_MS)

    def card(order):
        return page.locator(f'.ticket[data-ticket-id="{order.tickets.get().pk}"]')

    # 2 selects the second ticket on screen (and focuses it); the arrows move the selection
    page.keyboard.press("2")
    expect(card(second)).to_have_class("ticket is-selected")
    expect(card(second)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(card(third)).to_have_class("ticket is-selected")
    page.keyboard.press("ArrowLeft")
    expect(card(second)).to_be_focused()

    # Enter starts the selected ticket; S does nothing more to a started one, B bumps it
    page.keyboard.press("Enter")
    expect(card(second)).to_have_attribute("data-status", "IN_PROGRESS", timeout=WAIT_MS)
    page.keyboard.press("B")
    expect(card(second)).to_have_count(0, timeout=WAIT_MS)
    assert second.tickets.get().status == TicketStatus.DONE

    # The next ticket takes the bumped one's place in the selection; S starts it
    expect(card(third)).to_be_focused()
    page.keyboard.press("s")
    expect(card(third)).to_have_attribute("data-status", "IN_PROGRESS", timeout=WAIT_MS)
    expect(card(first)).to_have_attribute("data-status", "NEW")

    # R recalls the last done ticket
    page.keyboard.press("r")
    expect(card(second)).to_have_attribute("data-status", "IN_PROGRESS", timeout=WAIT_MS)
    assert second.tickets.get().status == TicketStatus.IN_PROGRESS


def test_the_kitchen_display_mirrors_under_dir_rtl(browser_page, server):
    page = browser_page
    cafe = make_cafe()
    kitchen_order(cafe)
    open_kitchen(page, server, cafe, cafe.cook)
    expect(page.locator(".ticket")).to_have_count(1, timeout=WAIT_MS)
    boxes = """() => [".ticket", ".kds-done"].map(s => {
      const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.right];
    })"""
    (ticket_left, ticket_right), (done_left, done_right) = page.evaluate(boxes)
    assert done_left >= ticket_right  # the Done column at the inline end: right in English

    page.evaluate("() => { document.documentElement.dir = 'rtl'; }")  # what an Arabic page says

    (ticket_left, ticket_right), (done_left, done_right) = page.evaluate(boxes)
    assert done_right <= ticket_left  # and left in a right-to-left language, beside the tickets
