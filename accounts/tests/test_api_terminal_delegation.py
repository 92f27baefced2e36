"""A terminal's device credential acts only for staff who signed in on it lately, and, for staff not signed in
right now, only sends what an offline queue sends (orders and payments) — never a manager's action."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, TerminalSignIn
from accounts.services import pin_login
from accounts.tests.factories import paired_terminal, staff
from menu.tests.factories import MenuItemFactory
from orders.services import payment_add
from orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def till(db):
    terminal, secret = paired_terminal()
    return terminal, secret


def acting_for(secret, user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Terminal {secret}", HTTP_X_STAFF_ID=str(user.pk))
    return client


def create_order(client, location):
    item = MenuItemFactory(location=location)
    body = {"type": "TAKEAWAY", "items": [{"menu_item_id": item.pk, "quantity": 1}]}
    return client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def test_a_terminal_cannot_act_for_staff_who_never_signed_in_on_it(till):
    terminal, secret = till
    cashier = staff(terminal.location, Role.CASHIER, pin="2222")

    refused = acting_for(secret, cashier).get("/api/v1/me/")
    pin_login(terminal=terminal, user_id=cashier.pk, pin="2222")
    accepted = acting_for(secret, cashier).get("/api/v1/me/")

    assert refused.status_code == 401
    assert accepted.status_code == 200


def test_a_sign_in_older_than_a_day_no_longer_lets_the_terminal_act(till):
    terminal, secret = till
    cashier = staff(terminal.location, Role.CASHIER, pin="2222")
    pin_login(terminal=terminal, user_id=cashier.pk, pin="2222")
    TerminalSignIn.objects.filter(user=cashier).update(signed_in_at=timezone.now() - timedelta(hours=25))

    assert acting_for(secret, cashier).get("/api/v1/me/").status_code == 401


def test_offline_orders_sync_for_staff_not_signed_in_but_manager_actions_need_their_pin(till):
    terminal, secret = till
    manager = staff(terminal.location, Role.MANAGER, pin="1111")
    pin_login(terminal=terminal, user_id=manager.pk, pin="1111")
    order = OrderFactory(location=terminal.location)
    payment = payment_add(order=order, staff=order.staff, tender="CARD", amount=order.total)

    created = create_order(acting_for(secret, manager), terminal.location)
    refund = acting_for(secret, manager).post(
        f"/api/v1/orders/{order.pk}/refunds/",
        {"payment_id": payment.pk, "amount": 10, "reason": "Cold"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert created.status_code == 201
    assert created.json()["items"][0]["quantity"] == 1
    assert refund.status_code == 403
    assert "PIN" in refund.json()["error"]["message"]


def test_a_cashiers_page_cannot_borrow_a_managers_identity(till):
    """The register page names the acting staff member; naming anyone but the signed-in cashier is delegation."""
    terminal, secret = till
    cashier = staff(terminal.location, Role.CASHIER, pin="2222")
    manager = staff(terminal.location, Role.MANAGER, pin="1111")
    pin_login(terminal=terminal, user_id=manager.pk, pin="1111")
    browser = APIClient(enforce_csrf_checks=True)
    browser.cookies[settings.TERMINAL_COOKIE_NAME] = secret
    browser.get("/terminal/login/")
    csrf = browser.cookies["csrftoken"].value
    form = {"staff": cashier.pk, "pin": "2222", "csrfmiddlewaretoken": csrf}
    assert browser.post("/terminal/login/", form, format="multipart").status_code == 302
    csrf = browser.cookies["csrftoken"].value  # rotated at sign-in
    order = OrderFactory(location=terminal.location)

    as_manager = browser.post(
        f"/api/v1/orders/{order.pk}/status/",
        {"status": "CANCELLED", "version": order.version},
        format="json",
        HTTP_X_STAFF_ID=str(manager.pk),
        HTTP_X_CSRFTOKEN=csrf,
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    as_herself = browser.post(
        f"/api/v1/orders/{order.pk}/status/",
        {"status": "CANCELLED", "version": order.version},
        format="json",
        HTTP_X_STAFF_ID=str(cashier.pk),
        HTTP_X_CSRFTOKEN=csrf,
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert as_manager.status_code == 403
    assert "PIN" in as_manager.json()["error"]["message"]
    assert as_herself.status_code == 200, as_herself.content
    assert as_herself.json()["status"] == "CANCELLED"
