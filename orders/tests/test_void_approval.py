"""Where a location asks for it (`void_sent_needs_manager`), voiding an item the kitchen already has takes a
manager: one signed in, or one typing their PIN at the cashier's till; the approver is kept on the line."""

import uuid
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from menu.tests.factories import MenuItemFactory
from orders.models import Order, OrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe():
    location = LocationFactory(currency="EUR", void_sent_needs_manager=True)
    return {
        "location": location,
        "terminal": TerminalFactory(location=location),
        "item": MenuItemFactory(location=location, price=Decimal("4.00")),
        "cashier": staff(location, Role.CASHIER, pin="1111"),
        "manager": staff(location, Role.MANAGER, pin="2222"),
    }


def post(client, url, body):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def sent_order(cafe) -> dict:
    body = {"type": "TAKEAWAY", "items": [{"menu_item_id": cafe["item"].pk, "quantity": 2}]}
    response = post(api_as(cafe["cashier"]), "/api/v1/orders/", body)
    assert response.status_code == 201, response.content
    order = response.json()
    assert OrderLine.objects.get(order_id=order["id"]).ticket_id is not None  # sent: the kitchen has it
    return order


def void(client, order, approval=None):
    url = f"/api/v1/orders/{order['id']}/items/{order['items'][0]['id']}/void/"
    body = {"reason": "guest changed their mind", "version": order["version"]}
    if approval:
        body["approval"] = approval
    return post(client, url, body)


def test_a_cashier_cannot_void_a_sent_item_alone(cafe):
    order = sent_order(cafe)

    response = void(api_as(cafe["cashier"], terminal=cafe["terminal"]), order)

    assert (response.status_code, response.json()["error"]["code"]) == (403, "void.approval_required")
    assert "approval" in response.json()["error"]["fields"]
    assert not OrderLine.objects.filter(order_id=order["id"], voided=True).exists()
    assert Order.objects.get(pk=order["id"]).version == order["version"]


def test_a_managers_pin_voids_it_and_is_kept_on_the_line(cafe):
    order = sent_order(cafe)
    approval = {"manager_id": cafe["manager"].pk, "pin": "2222"}

    response = void(api_as(cafe["cashier"], terminal=cafe["terminal"]), order, approval)

    assert response.status_code == 200, response.content
    line = OrderLine.objects.get(order_id=order["id"])
    assert (line.voided, line.voided_by, line.void_approved_by) == (True, cafe["cashier"], cafe["manager"])


def test_a_wrong_pin_voids_nothing(cafe):
    order = sent_order(cafe)

    response = void(
        api_as(cafe["cashier"], terminal=cafe["terminal"]), order, {"manager_id": cafe["manager"].pk, "pin": "9999"}
    )

    assert response.status_code in (400, 401, 403)
    assert not OrderLine.objects.filter(order_id=order["id"], voided=True).exists()


def test_a_manager_voids_it_themself(cafe):
    order = sent_order(cafe)

    response = void(api_as(cafe["manager"]), order)

    assert response.status_code == 200, response.content
    assert OrderLine.objects.get(order_id=order["id"]).void_approved_by == cafe["manager"]


def test_where_the_location_does_not_ask_a_cashier_voids_alone(cafe):
    cafe["location"].void_sent_needs_manager = False
    cafe["location"].save(update_fields=["void_sent_needs_manager"])
    order = sent_order(cafe)

    response = void(api_as(cafe["cashier"]), order)

    assert response.status_code == 200, response.content
    assert OrderLine.objects.get(order_id=order["id"]).void_approved_by is None
