"""The back office from 1024 × 768 (a small laptop, a tablet on its side) up: every change list and the reports page
fit the window, no column cut off behind a sideways scroll, and the reports page passes axe (its CSV links too)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from menu.tests.factories import MenuItemFactory
from orders.services import payment_add, shift_close, shift_open
from orders.tests.factories import OrderFactory, line
from testing.axe import assert_accessible

from .pos_browser import in_a_thread
from .test_pos_accessibility import admin_cookies

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CHANGE_LISTS = [
    "menu/menuitem",
    "menu/category",
    "menu/modifiergroup",
    "menu/modifier",
    "tables/area",
    "tables/table",
    "orders/order",
    "orders/ticket",
    "orders/payment",
    "orders/refund",
    "orders/shift",
    "orders/statuschange",
    "accounts/user",
    "accounts/location",
    "accounts/terminal",
    "accounts/apikey",
    "delivery/webhookendpoint",
    "delivery/webhookdelivery",
    "delivery/emaildelivery",
]


def overflow(page) -> int:
    """How far the page is wider than its window, or a change list's table than its box, which Django's admin
    scrolls on its own, hiding the last columns (0: it fits)."""
    return page.evaluate(
        """() => Math.max(
            document.documentElement.scrollWidth - window.innerWidth,
            ...[...document.querySelectorAll("#changelist .results")].map(box => box.scrollWidth - box.clientWidth),
        )"""
    )


def a_day_at_two_cafes(cafe):
    """An owner of two cafes, with a long item name, an order paid in cash and its shift, closed (a Z report)."""
    harbour = LocationFactory(name="Harbour Street Roastery", organization=cafe.location.organization)
    MenuItemFactory(location=harbour, name="Iced oat-milk caramel macchiato (large, extra shot)")
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])
    shift = shift_open(terminal=cafe.terminal, staff=cafe.cashier, opening_float=Decimal("150.00"))
    payment_add(order=order, staff=cafe.cashier, tender="CASH", amount=order.total, shift=shift)
    shift_close(shift=shift, staff=cafe.cashier, counted_cash=Decimal("158.00"), terminal=cafe.terminal)
    return staff(cafe.location, Role.OWNER, full_name="Olivia Owner")


@pytest.mark.parametrize("width", [1024, 1440, 1600])  # no sidebar, then the sidebar, then the filters beside
def test_change_lists_and_reports_fit_the_window(pos, asgi_server, pos_cafe, width):
    owner = in_a_thread(lambda: a_day_at_two_cafes(pos_cafe))
    pos.set_viewport_size({"width": width, "height": 768})
    pos.context.add_cookies(admin_cookies(owner, asgi_server.url))

    too_wide = {}
    for change_list in CHANGE_LISTS:
        pos.goto(f"{asgi_server.url}/admin/{change_list}/")
        expect(pos.locator("#changelist")).to_be_visible()
        too_wide[change_list] = overflow(pos)
    pos.goto(f"{asgi_server.url}/backoffice/reports/?location={pos_cafe.location.pk}")
    expect(pos.locator(".report-table").first).to_be_visible()
    too_wide["reports"] = overflow(pos)

    cut_off = {page: pixels for page, pixels in too_wide.items() if pixels > 0}
    assert not cut_off, f"wider than {width} px by: {cut_off}"
    assert_accessible(pos, where=f"the reports page at {width} px")
