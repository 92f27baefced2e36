"""A refund is a manager's: made by a MANAGER or OWNER themself, or by a cashier at the till with a manager's PIN
(the refund is then recorded as the manager's). Without one it is refused before anything moves."""

import uuid
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from menu.tests.factories import MenuItemFactory
from orders.models import Refund
from orders.services import payment_add
from orders.tests.factories import OrderFactory, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    location = LocationFactory(currency="EUR")
    terminal, _ = paired_terminal(location=location)
    cashier = staff(location, Role.CASHIER, pin="1111")
    manager = staff(location, Role.MANAGER, pin="2222")
    order = OrderFactory(
        location=location, staff=cashier, lines=[line(MenuItemFactory(location=location, price=Decimal("10.00")))]
    )
    payment = payment_add(order=order, staff=cashier, tender="CARD", amount=order.total)
    return {"terminal": terminal, "cashier": cashier, "manager": manager, "order": order, "payment": payment}


def refund(client, paid, **fields):
    body = {"payment_id": paid["payment"].pk, "amount": 400, "reason": "Cold", **fields}
    return client.post(
        f"/api/v1/orders/{paid['order'].pk}/refunds/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )


def test_a_cashiers_refund_without_a_managers_pin_is_refused(paid):
    response = refund(api_as(paid["cashier"], terminal=paid["terminal"]), paid)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "refund.approval_required"
    assert not Refund.objects.exists()


def test_a_managers_pin_makes_a_cashiers_refund_the_managers(paid):
    approval = {"manager_id": paid["manager"].pk, "pin": "2222"}

    response = refund(api_as(paid["cashier"], terminal=paid["terminal"]), paid, approval=approval)

    assert response.status_code == 201, response.content[:300]
    [made] = Refund.objects.all()
    assert (made.amount, made.staff) == (Decimal("4.00"), paid["manager"])


def test_a_wrong_pin_refunds_nothing(paid):
    approval = {"manager_id": paid["manager"].pk, "pin": "9999"}

    response = refund(api_as(paid["cashier"], terminal=paid["terminal"]), paid, approval=approval)

    assert 400 <= response.status_code < 500
    assert not Refund.objects.exists()


def test_a_manager_refunds_without_a_pin(paid):
    response = refund(api_as(paid["manager"]), paid)

    assert response.status_code == 201, response.content[:300]
    assert Refund.objects.get().staff == paid["manager"]
