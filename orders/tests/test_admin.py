"""Orders, tickets, payments and shifts in the back office: visible to their location's managers, read-only."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Location
from accounts.tests.factories import LocationFactory, TerminalFactory
from orders.models import Order, Payment, Shift
from orders.services import order_discount_set, payment_add, shift_open
from orders.tests.factories import OrderFactory, ShiftFactory

pytestmark = pytest.mark.django_db

PAGES = ["order", "ticket", "payment", "refund", "shift", "statuschange"]


@pytest.mark.parametrize("page", PAGES)
def test_a_manager_sees_the_lists(client, manager, page):
    client.force_login(manager)
    assert client.get(f"/admin/orders/{page}/").status_code == 200


def test_a_manager_sees_their_locations_orders_read_only(client, location, manager, cashier, terminal):
    mine, theirs = OrderFactory(location=location, external_id="MINE-1"), OrderFactory(external_id="THEIRS-1")
    shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("10.00"))
    payment_add(order=mine, staff=cashier, tender="CARD", amount=mine.total)
    client.force_login(manager)
    listing = client.get("/admin/orders/order/").content.decode()
    assert "#0001" in listing and f"/admin/orders/order/{mine.pk}/change/" in listing
    assert f"/admin/orders/order/{theirs.pk}/change/" not in listing
    page = client.get(f"/admin/orders/order/{mine.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(f"/admin/orders/order/{theirs.pk}/change/").status_code in (302, 404)
    assert client.get("/admin/orders/order/add/").status_code == 403
    assert client.post(f"/admin/orders/order/{mine.pk}/delete/").status_code == 403
    assert client.get(f"/admin/orders/payment/{mine.payments.get().pk}/change/").status_code == 200


def test_an_orders_discount_approvals_show_on_its_page(client, location, manager, cashier):
    order = OrderFactory(location=location, staff=cashier)
    order_discount_set(
        order=order,
        staff=cashier,
        percent=Decimal("50"),
        reason="staff meal",
        approved_by=manager,
        version=order.version,
    )
    client.force_login(manager)

    page = client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()

    assert "Discount approvals" in page and "50.0000" in page and "Discount set" in page


def test_the_lists_show_amounts_in_the_locations_currency_as_its_readers_write_them(
    client, location, manager, cashier, terminal
):
    """A stored 14.220 is "14,22 €" at a cafe in Germany (the three storage places are not the euro's)."""
    Location.objects.filter(pk=location.pk).update(country="DE", language="de")
    order = OrderFactory(location=location, staff=cashier)
    Order.objects.filter(pk=order.pk).update(total=Decimal("14.220"))
    shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("1234.5"))
    client.force_login(manager)

    with translation.override("de"):
        orders = client.get("/admin/orders/order/").content.decode()
        shifts = client.get("/admin/orders/shift/").content.decode()

    assert "14,22\xa0€" in orders and "14.220" not in orders
    assert "1.234,50\xa0€" in shifts


OPENED = datetime.datetime(2026, 12, 4, 4, 7, tzinfo=datetime.UTC)


def shift_opened_at(terminal, at=OPENED):
    shift = ShiftFactory(terminal=terminal)
    Shift.objects.filter(pk=shift.pk).update(opened_at=at)
    return shift


def test_the_lists_and_pages_show_times_on_the_locations_clock(client, location, manager, cashier):
    """A Paris cafe's shift opened at 04:07 UTC reads 05:07, in the list and on its page."""
    shift = shift_opened_at(TerminalFactory(location=location))
    order = OrderFactory(location=location, staff=cashier)
    payment = payment_add(order=order, staff=cashier, tender="CARD", amount=order.total)
    Payment.objects.filter(pk=payment.pk).update(created_at=OPENED)
    client.force_login(manager)

    shifts = client.get("/admin/orders/shift/").content.decode()
    payments = client.get("/admin/orders/payment/").content.decode()
    page = client.get(f"/admin/orders/shift/{shift.pk}/change/").content.decode()

    assert "04/12/2026, 05:07" in shifts and "4:07" not in shifts
    assert "04/12/2026, 05:07" in payments
    assert "(Europe/Paris)" not in shifts  # the manager's one location: no zone to tell apart
    assert "Dec. 4, 2026, 5:07 a.m." in page and "4:07 a.m." not in page


def test_an_owner_whose_locations_lie_in_two_zones_is_told_which_zone_a_time_is_in(client, location, owner):
    new_york = LocationFactory(organization=location.organization, time_zone="America/New_York")
    paris_shift = shift_opened_at(TerminalFactory(location=location))
    shift_opened_at(TerminalFactory(location=new_york))
    client.force_login(owner)

    shifts = client.get("/admin/orders/shift/").content.decode()
    page = client.get(f"/admin/orders/shift/{paris_shift.pk}/change/").content.decode()

    assert "04/12/2026, 05:07 (Europe/Paris)" in shifts
    assert "(America/New_York)" in shifts and "03/12/2026, 23:07" in shifts
    assert "times in Europe/Paris" in page


def test_an_orders_page_shows_every_amount_as_money(client, location, manager, cashier, terminal):
    """The order's totals, its lines and its payments: "€14.22", never the stored "14.220"."""
    Location.objects.filter(pk=location.pk).update(country="IE", language="en")
    order = OrderFactory(location=location, staff=cashier)
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("10.00"))
    payment = payment_add(order=order, staff=cashier, tender="CASH", amount=order.total, shift=shift)
    Order.objects.filter(pk=order.pk).update(total=Decimal("14.220"))
    client.force_login(manager)

    with translation.override("en"):
        pages = {
            page: client.get(page).content.decode()
            for page in (
                f"/admin/orders/order/{order.pk}/change/",
                f"/admin/orders/payment/{payment.pk}/change/",
                "/admin/orders/payment/",
                f"/admin/orders/shift/{shift.pk}/change/",
            )
        }

    assert "€14.22" in pages[f"/admin/orders/order/{order.pk}/change/"]
    for page, html in pages.items():
        assert not re.search(r">[^<>]*\d\.\d{3}\b", html), page  # text, not the icons' path data
