"""A cafe with a small, known menu (two tax rates, three categories, bar / kitchen / no station) and its staff."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from menu.models import Station
from menu.tests.factories import CategoryFactory, MenuItemFactory


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
