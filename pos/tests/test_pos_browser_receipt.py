"""The receipt and the back office in Chromium: a Paris cafe's receipt names its seller and prints on 80 mm paper,
and the receipt and the admin's lists read the cafe's clock, not the server's UTC."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import Location, Role
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from orders.models import Order, Shift
from orders.tests.factories import OrderFactory, ShiftFactory, line
from testing.axe import assert_accessible

from .pos import session_cookies
from .pos_browser import in_a_thread

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

AT = datetime.datetime(2026, 12, 4, 4, 2, tzinfo=datetime.UTC)  # 05:02 in Paris, 23:02 the day before in New York
PRINTABLE_PX = 72 / 25.4 * 96  # 72 mm at the browser's 96 px per inch


def test_a_paris_receipt_names_its_seller_and_reads_the_cafes_clock_on_screen_and_on_paper(pos, asgi_server, pos_cafe):
    cafe = pos_cafe  # Europe/Paris, Irish English
    Location.objects.filter(pk=cafe.location.pk).update(
        legal_name="Café Lumière SAS",
        address="12 rue de la Paix\n75002 Paris",
        tax_number="FR40123456789",
        receipt_footer="Wi-Fi: lumiere / croissant",
    )
    order = in_a_thread(lambda: OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)]))
    Order.objects.filter(pk=order.pk).update(created_at=AT)
    pos.context.add_cookies(
        session_cookies(terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier, url=asgi_server.url)
    )

    pos.goto(f"{asgi_server.url}/pos/orders/{order.pk}/receipt/")

    receipt = pos.locator(".receipt")
    expect(receipt.locator('[data-receipt-seller="legal-name"]')).to_have_text("Café Lumière SAS")
    expect(receipt.locator('[data-receipt-seller="address"]')).to_have_text("12 rue de la Paix75002 Paris")
    expect(receipt.locator('[data-receipt-seller="tax-number"]')).to_have_text("VAT/tax no. FR40123456789")
    expect(receipt.locator("[data-receipt-footer]")).to_have_text("Wi-Fi: lumiere / croissant")
    expect(receipt.locator("header")).to_contain_text("04/12/2026, 05:02")
    assert_accessible(pos, where="the receipt with the seller's details")

    pos.emulate_media(media="print")
    expect(pos.locator("nav.screen-only")).to_be_hidden()
    expect(receipt.locator(".seller")).to_be_visible()
    expect(receipt.locator("[data-receipt-footer]")).to_be_visible()
    assert receipt.bounding_box()["width"] <= PRINTABLE_PX + 1


def test_the_admin_lists_show_each_shift_on_its_locations_clock_and_name_the_zone(pos, asgi_server, pos_cafe):
    """An owner of a Paris and a New York cafe: each shift on its own clock, with its zone named."""
    cafe = pos_cafe
    owner = staff(cafe.location, Role.OWNER)
    new_york = LocationFactory(organization=cafe.location.organization, time_zone="America/New_York", country="US")
    for terminal in (cafe.terminal, TerminalFactory(location=new_york)):
        shift = in_a_thread(lambda terminal=terminal: ShiftFactory(terminal=terminal, staff=owner))
        Shift.objects.filter(pk=shift.pk).update(opened_at=AT)
    admin = Client()
    admin.force_login(owner)
    session = admin.cookies[settings.SESSION_COOKIE_NAME].value
    pos.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": asgi_server.url}])

    pos.goto(f"{asgi_server.url}/admin/orders/shift/")

    rows = pos.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(pos.locator("#result_list")).to_contain_text("04/12/2026, 05:02 (Europe/Paris)")
    expect(pos.locator("#result_list")).to_contain_text("12/3/26, 11:02\u202fPM (America/New_York)")
    expect(pos.locator("#result_list")).not_to_contain_text("4:02")
