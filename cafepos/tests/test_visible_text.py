"""Bidi controls and other invisible characters never reach a ticket, a receipt or the back office: every path a
person's text comes by (API, POS pages, admin, CSV import, code) stores and shows it without them."""

import uuid
from decimal import Decimal

import pytest

from accounts.models import Role, Terminal
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, staff
from cafepos.models import Event
from cafepos.text import visible_text
from menu.csv_io import COLUMNS, menu_import_csv
from menu.models import MenuItem
from menu.tests.factories import CategoryFactory, MenuItemFactory
from orders.models import Order, OrderLine

pytestmark = pytest.mark.django_db

RLO, PDI, ZWSP, BOM = "\u202e", "\u2069", "\u200b", "\ufeff"
# "Oat milk" that a kitchen screen shows as "klim taO", with a zero-width space, an isolate and a BOM around it
HOSTILE = f"{BOM}Oat{ZWSP} {RLO}milk{PDI}\u2066"


@pytest.mark.parametrize(
    ("typed", "multiline", "stored"),
    [
        ("Flat white", False, "Flat white"),
        ("Café crème 🥐 ☕ — 2×", False, "Café crème 🥐 ☕ — 2×"),
        ("".join(chr(c) for c in range(0x202A, 0x202F)) + "a", False, "a"),
        ("".join(chr(c) for c in range(0x2066, 0x206A)) + "b", False, "b"),
        ("".join(chr(c) for c in range(0x200B, 0x2010)) + "c", False, "c"),
        ("".join(chr(c) for c in range(0x2060, 0x2065)) + "d\ufeff\u061c\u00ad\U000e0041", False, "d"),
        ("nul\x00 esc\x1b[31m red", False, "nul esc[31m red"),
        ("lone \ud800 surrogate", False, "lone  surrogate"),
        ("two\nlines\r\nand\u2028more\ttab", False, "two lines and more tab"),
        ("two\nlines\r\nand\u2028more\ttab\x0c", True, "two\nlines\nand\nmore\ttab\n"),
        ("no\u00a0break space kept", False, "no\u00a0break space kept"),
    ],
)
def test_visible_text_keeps_what_is_seen_and_drops_what_is_not(typed, multiline, stored):
    assert visible_text(typed, multiline=multiline) == stored


def test_an_order_through_the_api_is_stored_announced_and_answered_without_invisible_characters():
    location = LocationFactory(currency="EUR", discount_approval_percent=Decimal("100"))
    item = MenuItemFactory(location=location, name="Latte", price=Decimal("3.50"))
    client = api_as(staff(location, Role.CASHIER))

    response = client.post(
        "/api/v1/orders/",
        {
            "type": "TAKEAWAY",
            "location_id": location.pk,
            "items": [{"menu_item_id": item.pk, "quantity": 1, "note": HOSTILE}],
            "note": f"no nuts{RLO}\nplease",
            "customer": {"name": f"{RLO}Ann{PDI}", "phone": f"+33{ZWSP}1"},
            "discount": {"amount": 50, "reason": f"{RLO}loyalty"},
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.status_code == 201, response.content[:400]
    order, line = Order.objects.get(), OrderLine.objects.get()
    stored = (line.note, order.note, order.customer_name, order.customer_phone, order.discount_reason)
    assert stored == ("Oat milk", "no nuts\nplease", "Ann", "+331", "loyalty")
    body = response.content.decode("unicode_escape")
    events = str([event.data for event in Event.objects.all()])
    for char in (RLO, PDI, ZWSP, BOM, "\u2066"):
        assert char not in body and char not in events


def test_a_reason_of_only_invisible_characters_is_missing():
    location = LocationFactory(currency="EUR")
    item = MenuItemFactory(location=location, price=Decimal("3.50"))
    client = api_as(staff(location, Role.MANAGER))
    order = client.post(
        "/api/v1/orders/",
        {"type": "TAKEAWAY", "location_id": location.pk, "items": [{"menu_item_id": item.pk, "quantity": 1}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    ).json()

    response = client.post(
        f"/api/v1/orders/{order['id']}/items/{order['items'][0]['id']}/void/",
        {"reason": f"{RLO}{ZWSP}{PDI}", "version": order["version"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.status_code == 400, response.content[:400]
    assert response.json()["error"]["code"] == "validation.required"


def test_an_item_saved_in_the_admin_is_stored_without_invisible_characters(client):
    location = LocationFactory()
    coffee = CategoryFactory(location=location, name="Coffee")
    client.force_login(staff(location, Role.MANAGER))
    form = {
        "category": coffee.pk,
        "name": f"Mocha{RLO} ",
        "description": f"dark{ZWSP}\nchocolate",
        "price": "4.20",
        "tax_rate": "10.00",
        "sku": f"MOC{BOM}",
        "station": "BAR",
        "sort_order": 0,
        "is_active": "on",
    }

    response = client.post("/admin/menu/menuitem/add/", form)

    assert response.status_code == 302, response.content[:600]
    item = MenuItem.objects.get()
    assert (item.name, item.description, item.sku) == ("Mocha", "dark\nchocolate", "MOC")


def test_an_admin_name_of_only_invisible_characters_is_refused_as_missing(client):
    location = LocationFactory()
    client.force_login(staff(location, Role.MANAGER))

    response = client.post("/admin/menu/category/add/", {"name": f"{RLO}{ZWSP}", "sort_order": 0, "is_active": "on"})

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors


def test_a_terminal_paired_on_the_page_is_named_without_invisible_characters(client):
    location = LocationFactory()
    staff(location, Role.MANAGER, email="max@example.com")

    response = client.post(
        "/terminal/pair/",
        {"email": "max@example.com", "password": "password", "name": f"Front{RLO} till{ZWSP}", "kind": "POS"},
    )

    assert response.status_code == 302, response.content[:400]
    assert Terminal.objects.get().name == "Front till"


def test_a_menu_csv_import_stores_names_without_invisible_characters():
    location = LocationFactory()
    CategoryFactory(location=location, name="Coffee")
    row = dict.fromkeys(COLUMNS, "") | {
        "sku": "LAT",
        "name": f"{RLO}Latte{PDI}",
        "category": "Coffee",
        "price": "3.80",
        "tax_rate": "10.00",
        "station": "BAR",
        "is_active": "true",
        "is_sold_out": "false",
        "description": f"silky{ZWSP}",
    }
    content = ",".join(COLUMNS) + "\n" + ",".join(row[column] for column in COLUMNS) + "\n"

    menu_import_csv(location=location, content=content.encode(), by=None)

    item = MenuItem.objects.get()
    assert (item.name, item.description) == ("Latte", "silky")


def test_queryset_updates_and_bulk_creates_store_clean_text():
    item = MenuItemFactory(name="Latte")
    MenuItem.objects.filter(pk=item.pk).update(name=f"Lat{RLO}te")
    assert MenuItem.objects.values_list("name", flat=True).get() == "Latte"

    MenuItem.objects.bulk_create([MenuItem(location=item.location, category=item.category, name=f"{ZWSP}Mocha",
                                           price=Decimal("4.00"), sku="M2")])  # fmt: skip
    assert set(MenuItem.objects.values_list("name", flat=True)) == {"Latte", "Mocha"}
