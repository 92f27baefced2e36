"""The card gateway is called with no lock held: the payment is checked under the order's
lock, the lock released, the card charged, then checked again and recorded; a charge whose order changed
meanwhile is voided. Real threads and transactions on PostgreSQL, through the API."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from accounts.tests.api import api_as
from menu.tests.factories import MenuItemFactory
from orders.models import Order, Payment
from orders.services import order_create, order_lines_add
from orders.tests.factories import OrderFactory, line
from orders.tests.gateway import FakeGateway

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 5  # seconds another writer of the location may take while the card is charged


def meanwhile(work) -> dict:
    """Make the gateway run `work` in another thread (its own connection) during the charge; the result says
    whether it finished within WAIT seconds, which it cannot while the payment holds the location's lock."""
    outcome = {"finished": False}

    def other():
        try:
            work()
            outcome["finished"] = True
        finally:
            connection.close()

    def during_charge():
        FakeGateway.during_charge = None  # once: a payment in `work` charges a card too
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(WAIT)
        outcome["finished_in_time"] = outcome["finished"]

    FakeGateway.during_charge = during_charge
    return outcome


def pay(client, order: Order, amount: int):
    body = {"tender": "CARD", "amount": amount}
    return client.post(
        f"/api/v1/orders/{order.pk}/payments/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )


def test_the_location_is_not_locked_while_the_card_is_charged(gateway, location, cashier):
    item = MenuItemFactory(location=location, price=Decimal("3.50"))
    order = OrderFactory(location=location, staff=cashier, lines=[line(item)])
    other_order = meanwhile(lambda: order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)]))

    response = pay(api_as(cashier), order, 350)

    assert other_order["finished_in_time"], "another order waited for the card to be charged"
    assert response.status_code == 201, response.content[:300]
    assert response.json()["payment"]["terminal_reference"] == "fake-1"
    assert gateway.voids == []


def test_a_charge_is_voided_when_the_order_changed_meanwhile(gateway, location, cashier):
    item = MenuItemFactory(location=location, price=Decimal("3.50"))
    order = OrderFactory(location=location, staff=cashier, lines=[line(item)])
    added = meanwhile(lambda: order_lines_add(order=order, staff=cashier, lines=[line(item)], version=order.version))

    response = pay(api_as(cashier), order, 350)

    assert added["finished_in_time"]
    assert response.status_code == 409, response.content[:300]
    assert response.json()["error"]["code"] == "payment.order_changed"
    assert gateway.charges == gateway.voids == ["fake-1"]
    order.refresh_from_db()
    assert order.paid_total == 0 and not Payment.objects.filter(order=order).exists()
    assert order.balance_due == Decimal("7.00")


def test_two_cards_for_one_balance_charge_once_and_void_the_other(gateway, location, cashier):
    item = MenuItemFactory(location=location, price=Decimal("3.50"))
    order = OrderFactory(location=location, staff=cashier, lines=[line(item)])
    second = {}
    meanwhile(lambda: second.setdefault("response", pay(api_as(cashier), order, 350)))

    first = pay(api_as(cashier), order, 350)

    # the second reader was charged and recorded while the first was charging; the first, checked again,
    # finds nothing left to pay and is voided
    assert second["response"].status_code == 201
    assert first.status_code == 409 and first.json()["error"]["code"] == "payment.nothing_due"
    assert gateway.charges == ["fake-1", "fake-2"] and gateway.voids == ["fake-1"]
    assert Payment.objects.filter(order=order).count() == 1
