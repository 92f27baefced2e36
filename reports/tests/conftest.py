"""A cafe with a small, known menu (two tax rates, three categories, bar / kitchen / no station) and its staff."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from menu.models import Station
from menu.tests.factories import CategoryFactory, MenuItemFactory
from orders.services import order_create, payment_add
from orders.tests.factories import line


@dataclass
class Cafe:
    location: object
    owner: object
    manager: object
    cashier: object
    cook: object
    terminal: object
    coffee: object
    croissant: object
    soup: object


def cafe_at(location) -> Cafe:
    coffee = CategoryFactory(location=location, name="Coffee")
    bakery = CategoryFactory(location=location, name="Bakery")
    food = CategoryFactory(location=location, name="Food")
    return Cafe(
        location=location,
        owner=staff(location, Role.OWNER, email=f"owner{location.pk}@example.com"),
        manager=staff(location, Role.MANAGER),
        cashier=staff(location, Role.CASHIER),
        cook=staff(location, Role.KITCHEN),
        terminal=TerminalFactory(location=location),
        coffee=MenuItemFactory(
            category=coffee, name="Cappuccino", price=Decimal("3.50"), tax_rate=Decimal("10.00"), station=Station.BAR
        ),
        croissant=MenuItemFactory(
            category=bakery, name="Croissant", price=Decimal("2.00"), tax_rate=Decimal("5.50"), station=Station.NONE
        ),
        soup=MenuItemFactory(
            category=food, name="Soup", price=Decimal("6.90"), tax_rate=Decimal("10.00"), station=Station.KITCHEN
        ),
    )


@pytest.fixture
def cafe(db) -> Cafe:
    return cafe_at(LocationFactory(name="Central", currency="EUR", tax_mode="INCLUSIVE"))


def discounted_sale(cafe):
    """2 × Cappuccino 3.50 (10 %) + Croissant 2.00 (5.5 %), 1.00 off, prices including tax.

    The euro off is spread 0.78 / 0.22 by value (largest remainder); tax 6.22 × 10/110 = 0.57 and
    1.78 × 5.5/105.5 = 0.09.
    """
    order = order_create(
        location=cafe.location,
        staff=cafe.manager,
        type="TAKEAWAY",
        lines=[line(cafe.coffee, 2), line(cafe.croissant)],
        discount={"amount": Decimal("1.00"), "reason": "Regular"},
    )
    payment_add(order=order, staff=cafe.cashier, tender="CARD", amount=order.balance_due, tip=Decimal("0.50"))
    return order
