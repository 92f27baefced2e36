"""Helpers for the POS tests: a client or a browser paired to a POS terminal with a staff member signed in,
and a small cafe to sell from."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.test import Client

from accounts.models import Role, Terminal
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from menu.models import Station
from menu.tests.factories import CategoryFactory, MenuItemFactory, ModifierFactory, ModifierGroupFactory
from tables.tests.factories import TableFactory

PIN = "2468"


def pos_client(location, role=Role.CASHIER, *, terminal=None, secret=None, user=None):
    """(client, terminal, user): the terminal's cookie set and `user` signed in with their PIN, as on the tiles."""
    if terminal is None:
        terminal, secret = paired_terminal(location=location, kind=Terminal.Kind.POS)
    user = user or staff(location, role, pin=PIN)
    client = Client()
    client.cookies[settings.TERMINAL_COOKIE_NAME] = secret
    response = client.post("/terminal/login/", {"staff": user.pk, "pin": PIN})
    assert response.status_code == 302, response.content[:300]
    return client, terminal, user


def session_cookies(*, terminal: Terminal, secret: str, user, url: str) -> list[dict]:
    """Playwright cookies of a paired terminal's browser with `user` signed in (as /terminal/login/ leaves them)."""
    from testing.cafes import terminal_session_cookies

    cookies = terminal_session_cookies(terminal=terminal, secret=secret, user=user)
    return [{"name": name, "value": value, "url": url} for name, value in cookies.items()]


@dataclass
class Cafe:
    """A location (EUR, prices including tax, discounts above 10% approved by a manager) with a small menu."""

    location: object
    terminal: Terminal
    secret: str
    cashier: object
    manager: object
    latte: object  # BAR, 3.50, a required Size group and an optional Milk group
    size_large: object
    oat_milk: object
    croissant: object  # no station, 2.00, 5.5% tax
    toast: object  # KITCHEN, 8.00
    table: object


def make_cafe(**location_fields) -> Cafe:
    location = LocationFactory(
        currency="EUR", tax_mode="INCLUSIVE", discount_approval_percent=Decimal("10.00"), **location_fields
    )
    terminal, secret = paired_terminal(location=location, kind=Terminal.Kind.POS, name="Till 1")
    size = ModifierGroupFactory(location=location, name="Size", min_selections=1, max_selections=1, is_required=True)
    ModifierFactory(group=size, name="Regular", price_delta=Decimal("0.00"))
    large = ModifierFactory(group=size, name="Large", price_delta=Decimal("0.60"))
    milk = ModifierGroupFactory(location=location, name="Milk", min_selections=0, max_selections=1)
    oat = ModifierFactory(group=milk, name="Oat milk", price_delta=Decimal("0.40"))
    drinks = CategoryFactory(location=location, name="Coffee", sort_order=0)
    food = CategoryFactory(location=location, name="Food", sort_order=1)
    return Cafe(
        location=location,
        terminal=terminal,
        secret=secret,
        cashier=staff(location, Role.CASHIER, full_name="Cleo Cashier", pin=PIN),
        manager=staff(location, Role.MANAGER, full_name="Max Manager", pin="1357"),
        latte=MenuItemFactory(
            location=location,
            category=drinks,
            name="Latte",
            price=Decimal("3.50"),
            station=Station.BAR,
            modifier_groups=[size, milk],
        ),  # fmt: skip
        size_large=large,
        oat_milk=oat,
        croissant=MenuItemFactory(
            location=location,
            category=food,
            name="Croissant",
            price=Decimal("2.00"),
            station=Station.NONE,
            tax_rate=Decimal("5.50"),
        ),  # fmt: skip
        toast=MenuItemFactory(location=location, category=food, name="Toast", price=Decimal("8.00")),
        table=TableFactory(location=location, label="7"),
    )
