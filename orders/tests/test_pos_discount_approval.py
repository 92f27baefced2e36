"""A discount above the location's threshold, approved at the terminal by a manager's PIN (the POS's discount
dialog): the order records the approver; a wrong PIN, a non-manager or a call from no terminal is refused."""

import uuid
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.api import api_as, api_as_terminal
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from menu.tests.factories import MenuItemFactory
from orders.models import Order
from orders.tests.factories import OrderFactory, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe():
    location = LocationFactory(currency="EUR", discount_approval_percent=Decimal("10.00"))
    terminal, secret = paired_terminal(location=location)
    return {
        "location": location,
        "secret": secret,
        "terminal": terminal,
        "item": MenuItemFactory(location=location, price=Decimal("10.00")),
        "cashier": staff(location, Role.CASHIER, pin="1111"),
        "manager": staff(location, Role.MANAGER, pin="2222"),
    }


def create(client, cafe, discount):
    body = {"type": "TAKEAWAY", "items": [{"menu_item_id": cafe["item"].pk}], "discount": discount}
    return client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def test_a_managers_pin_approves_a_cashiers_discount_above_the_threshold(cafe):
    client = api_as_terminal(cafe["secret"], cafe["cashier"])
    approval = {"manager_id": cafe["manager"].pk, "pin": "2222"}

    response = create(client, cafe, {"percent": "20.00", "reason": "Regular", "approval": approval})

    assert response.status_code == 201, response.content
    assert response.json()["discount_total"] == 200
    order = Order.objects.get(pk=response.json()["id"])
    assert (order.staff, order.discount_approved_by) == (cafe["cashier"], cafe["manager"])


@pytest.mark.parametrize(
    ("approver", "pin", "status", "code"),
    [("manager", "9999", 401, "pin.invalid"), ("cashier", "1111", 403, "pin.not_manager")],
)
def test_a_wrong_pin_or_a_non_manager_approves_nothing(cafe, approver, pin, status, code):
    client = api_as_terminal(cafe["secret"], cafe["cashier"])

    approval = {"manager_id": cafe[approver].pk, "pin": pin}

    response = create(client, cafe, {"percent": "20.00", "reason": "Regular", "approval": approval})

    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert not Order.objects.exists()


def test_without_approval_the_cashiers_discount_is_refused(cafe):
    response = create(api_as_terminal(cafe["secret"], cafe["cashier"]), cafe, {"percent": "20.00", "reason": "x"})

    assert (response.status_code, response.json()["error"]["code"]) == (403, "discount.approval_required")


def test_an_approval_needs_a_terminal(cafe):
    approval = {"manager_id": cafe["manager"].pk, "pin": "2222"}

    response = create(api_as(cafe["cashier"]), cafe, {"percent": "20.00", "reason": "x", "approval": approval})

    assert (response.status_code, response.json()["error"]["code"]) == (400, "discount.approval_needs_terminal")


def test_a_quote_ignores_the_approval_and_prices_the_discount(cafe):
    client = api_as_terminal(cafe["secret"], cafe["cashier"])
    approval = {"manager_id": cafe["manager"].pk, "pin": "0000"}
    discount = {"percent": "20.00", "reason": "x", "approval": approval}
    body = {"type": "TAKEAWAY", "items": [{"menu_item_id": cafe["item"].pk}], "discount": discount}

    response = client.post("/api/v1/orders/quote/", body, format="json")

    assert (response.status_code, response.json()["discount_total"]) == (200, 200)


def test_the_discount_endpoint_takes_the_approval_too(cafe):
    order = OrderFactory(location=cafe["location"], staff=cafe["cashier"], lines=[line(cafe["item"])])
    client = api_as(cafe["cashier"], terminal=cafe["terminal"])  # signed in on the till with her PIN
    approval = {"manager_id": cafe["manager"].pk, "pin": "2222"}
    body = {"amount": 300, "reason": "Late", "version": order.version, "approval": approval}

    response = client.post(
        f"/api/v1/orders/{order.pk}/discounts/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )

    assert (response.status_code, response.json()["discount_total"]) == (200, 300)
    order.refresh_from_db()
    assert order.discount_approved_by == cafe["manager"]
