"""The receipt is the guest's: in the location's language whatever language the cashier chose for the till."""

import re
from decimal import Decimal

import pytest

from menu import services
from orders.models import Tender
from orders.services import payment_add
from orders.tests.factories import OrderFactory, line

from .pos import make_cafe, pos_client
from .test_pos_pages import config_of

pytestmark = pytest.mark.django_db


def test_the_receipt_stays_in_the_location_language_when_the_cashier_reads_another():
    cafe = make_cafe(language="de")
    client = pos_client(cafe.location, terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier)[0]
    assert client.post("/terminal/language/", {"language": "en"}).status_code == 302
    order = OrderFactory(
        location=cafe.location, staff=cafe.cashier, terminal=cafe.terminal, lines=[line(cafe.croissant)]
    )
    payment_add(order=order, staff=cafe.cashier, tender=Tender.CARD, amount=Decimal("2.00"), card_last4="4242")

    till = client.get("/pos/orders/")
    receipt = client.get(f"/pos/orders/{order.pk}/receipt/")

    assert till["Content-Language"] == "en"
    assert receipt["Content-Language"] == "de"
    # German writes a decimal comma: the amounts were rendered with German active
    assert re.search(r'data-receipt="total">[^<]*2,00', receipt.content.decode())


def test_the_register_shows_the_menu_in_the_till_language_and_asks_the_api_for_it():
    cafe = make_cafe(language="de")
    services.menu_item_update(item=cafe.croissant, data={"translations": {"de": {"name": "Buttercroissant"}}})
    client = pos_client(cafe.location, terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier)[0]

    german = config_of(client.get("/pos/"))
    client.post("/terminal/language/", {"language": "fr"})
    french = config_of(client.get("/pos/"))

    assert german["language"] == "de" and french["language"] == "fr"
    assert "Buttercroissant" in names_of(german) and "Croissant" in names_of(french)
    assert "Buttercroissant" not in names_of(french)


def names_of(config: dict) -> set[str]:
    return {item["display_name"] for category in config["menu"]["categories"] for item in category["items"]}
