"""What clients read: the documented order JSON, table statuses, scoped order lists, payments and shifts."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from menu.models import Station
from menu.tests.factories import MenuItemFactory, ModifierFactory, ModifierGroupFactory
from orders.models import Order, OrderType
from orders.representations import order_representation, payment_representation, quote_representation
from orders.selectors import lines_prefetch, orders_for, table_statuses
from orders.services import order_create, order_quote, payment_add
from orders.tests.factories import OrderFactory, line, order_at_status
from tables.tests.factories import TableFactory

pytestmark = pytest.mark.django_db


def test_the_order_representation_is_the_one_of_issue_5(location, cashier):
    # given a dine-in order at table 7 of two flat whites with oat milk, in Paris
    milk = ModifierGroupFactory(location=location, name="Milk")
    oat = ModifierFactory(group=milk, name="Oat milk", price_delta=Decimal("0.50"))
    flat_white = MenuItemFactory(
        location=location, name="Flat white", price=Decimal("3.50"), station=Station.BAR, modifier_groups=[milk]
    )
    table = TableFactory(location=location)
    order = order_create(
        location=location,
        staff=cashier,
        type=OrderType.DINE_IN,
        table=table,
        lines=[line(flat_white, 2, [oat], note="extra hot")],
    )
    at = datetime.datetime(2026, 11, 28, 8, 14, 3, tzinfo=datetime.UTC)
    Order.objects.filter(pk=order.pk).update(created_at=at, updated_at=at + datetime.timedelta(seconds=97))
    order = Order.objects.select_related("location").prefetch_related(lines_prefetch()).get(pk=order.pk)
    saved_line = order.lines.get()
    # then
    assert order_representation(order) == {
        "id": order.pk,
        "number": "#0001",
        "location_id": location.pk,
        "business_day": order.business_day.isoformat(),
        "type": "DINE_IN",
        "source": "POS",
        "external_id": None,
        "table_id": table.pk,
        "status": "PENDING",
        "payment_status": "UNPAID",
        "version": 1,
        "currency": "EUR",
        "customer": {"name": None, "phone": None, "email": None, "address": None},
        "note": "",
        "items": [
            {
                "id": saved_line.pk,
                "menu_item_id": flat_white.pk,
                "name": "Flat white",
                "quantity": 2,
                "unit_price": 350,
                "modifiers": [{"id": oat.pk, "name": "Oat milk", "price_delta": 50}],
                "note": "extra hot",
                "station": "BAR",
                "tax_rate": "10.00",
                "line_total": 800,
                "voided": False,
            }
        ],
        "subtotal": 800,
        "discount_total": 0,
        "tax_total": 73,
        "tip_total": 0,
        "total": 800,
        "paid_total": 0,
        "balance_due": 800,
        "receipt_number": None,
        "created_at": "2026-11-28T09:14:03+01:00",
        "updated_at": "2026-11-28T09:15:40+01:00",
    }


def test_money_follows_the_currencys_minor_unit():
    location = LocationFactory(currency="JPY")
    item = MenuItemFactory(location=location, price=Decimal("550"))
    order = order_create(location=location, staff=staff(location), type="TAKEAWAY", lines=[line(item, 2)])
    shown = order_representation(order)
    assert (shown["currency"], shown["total"], shown["items"][0]["unit_price"]) == ("JPY", 1100, 550)


def test_a_payment_and_a_quote_are_shown_in_minor_units(location, cashier):
    item = MenuItemFactory(location=location, price=Decimal("4.00"))
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)])
    payment = payment_add(order=order, staff=cashier, tender="CARD", amount=Decimal("4.00"), card_last4="4242")
    shown = payment_representation(payment, location)
    assert (shown["amount"], shown["tip"], shown["card_last4"], shown["tendered"]) == (400, 0, "4242", None)
    quote = order_quote(location=location, type="TAKEAWAY", lines=[line(item, 3)])
    assert quote_representation(quote) | {"items": None} == {
        "currency": "EUR",
        "type": "TAKEAWAY",
        "items": None,
        "subtotal": 1200,
        "discount_total": 0,
        "tax_total": 109,
        "taxes": [{"rate": "10.00", "amount": 109}],
        "tip_total": 0,
        "total": 1200,
    }


def test_table_status_is_derived_from_its_open_dine_in_orders(location):
    free, occupied, waiting, paid_up = (TableFactory(location=location) for _ in range(4))
    preparing = order_at_status("PREPARING", location=location, type=OrderType.DINE_IN, table=occupied)
    ready = order_at_status("READY", location=location, type=OrderType.DINE_IN, table=waiting)
    also_there = order_at_status("PENDING", location=location, type=OrderType.DINE_IN, table=waiting)
    order_at_status("COMPLETED", location=location, type=OrderType.DINE_IN, table=paid_up)
    order_at_status("CANCELLED", location=location, type=OrderType.DINE_IN, table=free)
    statuses = {row["table_id"]: (row["status"], row["open_order_ids"]) for row in table_statuses(location)}
    assert statuses == {
        free.pk: ("FREE", []),
        occupied.pk: ("OCCUPIED", [preparing.pk]),
        waiting.pk: ("NEEDS_ATTENTION", [ready.pk, also_there.pk]),
        paid_up.pk: ("FREE", []),
    }


def test_table_statuses_take_two_queries(location, django_assert_max_num_queries):
    for _ in range(3):
        order_at_status("PENDING", location=location, type=OrderType.DINE_IN)
    with django_assert_max_num_queries(2):
        assert len(table_statuses(location)) == 3


def test_orders_are_listed_for_the_users_locations_only_newest_first(location, cashier):
    mine = [OrderFactory(location=location) for _ in range(3)]
    OrderFactory()
    listed = list(orders_for(cashier))
    assert [o.pk for o in listed] == [o.pk for o in reversed(mine)]
    assert list(orders_for(staff(LocationFactory(), Role.OWNER))) == []


def test_orders_are_filtered_and_represented_in_a_fixed_number_of_queries(location, cashier, django_assert_num_queries):
    for _ in range(4):
        OrderFactory(location=location, lines=[line(MenuItemFactory(location=location)) for _ in range(3)])
    OrderFactory(location=location, source="Deliveroo")
    with django_assert_num_queries(3):  # orders (scoped by subqueries, with the location), lines, modifiers
        shown = [order_representation(o) for o in orders_for(cashier, location=location, source="POS")]
    assert len(shown) == 4 and all(len(o["items"]) == 3 for o in shown)
