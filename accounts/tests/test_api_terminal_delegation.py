"""A terminal's device credential acts only for staff who signed in on it lately, and, for staff not signed in
right now, only sends what an offline queue sends (orders and payments) — never a manager's action."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, TerminalSignIn
from accounts.services import pin_login
from accounts.tests.api import api_as, api_with_key, pin_session_browser
from accounts.tests.factories import paired_terminal, staff
from menu.tests.factories import MenuItemFactory
from orders.models import Order
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

    refused = create_order(acting_for(secret, cashier), terminal.location)
    pin_login(terminal=terminal, user_id=cashier.pk, pin="2222")
    accepted = create_order(acting_for(secret, cashier), terminal.location)

    assert refused.status_code == 401
    assert accepted.status_code == 201


def test_a_sign_in_older_than_a_day_no_longer_lets_the_terminal_act(till):
    terminal, secret = till
    cashier = staff(terminal.location, Role.CASHIER, pin="2222")
    pin_login(terminal=terminal, user_id=cashier.pk, pin="2222")
    TerminalSignIn.objects.filter(user=cashier).update(signed_in_at=timezone.now() - timedelta(hours=25))

    assert create_order(acting_for(secret, cashier), terminal.location).status_code == 401


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
    browser, csrf = pin_session_browser(secret, cashier, "2222")
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


# A different X-Staff-Id is delegation, never the named person's reads or approvals. -----


def cashier_claiming_a_manager(till, how: str) -> tuple[APIClient, dict, object]:
    """A cashier's client naming a manager who signed in on the till today: their PIN session, or the raw device
    credential. Returns the client, the headers every call carries, and the location."""
    terminal, secret = till
    cashier = staff(terminal.location, Role.CASHIER, pin="2222")
    manager = staff(terminal.location, Role.MANAGER, pin="1111")
    pin_login(terminal=terminal, user_id=manager.pk, pin="1111")
    if how == "pin session":
        browser, csrf = pin_session_browser(secret, cashier, "2222")
        return browser, {"HTTP_X_STAFF_ID": str(manager.pk), "HTTP_X_CSRFTOKEN": csrf}, terminal.location
    return acting_for(secret, manager), {}, terminal.location


@pytest.mark.parametrize("how", ["pin session", "terminal credential"])
def test_a_managers_id_does_not_approve_a_free_order(till, how):
    client, headers, location = cashier_claiming_a_manager(till, how)
    item = MenuItemFactory(location=location)
    cart = {"type": "TAKEAWAY", "items": [{"menu_item_id": item.pk, "quantity": 1}]}
    free = {**cart, "discount": {"percent": "100", "reason": "friend"}}

    response = client.post("/api/v1/orders/", free, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **headers)

    assert (response.status_code, response.json()["error"]["code"]) == (403, "discount.approval_required")


@pytest.mark.parametrize("how", ["pin session", "terminal credential"])
@pytest.mark.parametrize("path", ["/api/v1/reports/sales/", "/api/v1/shifts/", "/api/v1/orders/", "/api/v1/me/"])
def test_a_managers_id_reads_nothing(till, how, path):
    client, headers, _ = cashier_claiming_a_manager(till, how)

    response = client.get(path, **headers)

    assert (response.status_code, response.json()["error"]["code"]) == (403, "auth.delegation_refused")


def test_a_delegated_order_is_approved_by_a_pin_typed_for_it(till):
    """The discount dialog's way still works for a delegated order: the manager's PIN in `approval`."""
    client, _, location = cashier_claiming_a_manager(till, "terminal credential")
    manager = staff(location, Role.MANAGER, pin="3333")
    item = MenuItemFactory(location=location)
    approval = {"manager_id": manager.pk, "pin": "3333"}
    body = {
        "type": "TAKEAWAY",
        "items": [{"menu_item_id": item.pk, "quantity": 1}],
        "discount": {"percent": "100", "reason": "friend", "approval": approval},
    }

    response = client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))

    assert response.status_code == 201, response.content
    assert response.json()["total"] == 0


def test_a_token_ignores_the_staff_header(till):
    terminal, _ = till
    cashier = staff(terminal.location, Role.CASHIER)
    manager = staff(terminal.location, Role.MANAGER)
    client = api_as(cashier)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_STAFF_ID=str(manager.pk))

    me = client.get("/api/v1/me/")
    report = client.get("/api/v1/reports/sales/")

    assert (me.status_code, me.json()["user"]["id"]) == (200, cashier.pk)
    assert report.status_code == 403


def test_the_offline_queue_of_a_signed_out_cashier_still_syncs(till):
    """The POS replays a cashier's outbox after another cashier signed in: order, added items, payment."""
    terminal, secret = till
    first = staff(terminal.location, Role.CASHIER, pin="2222")
    second = staff(terminal.location, Role.CASHIER, pin="4444")
    pin_session_browser(secret, first, "2222")
    browser, csrf = pin_session_browser(secret, second, "4444")
    queued = {"HTTP_X_STAFF_ID": str(first.pk), "HTTP_X_CSRFTOKEN": csrf}
    item = MenuItemFactory(location=terminal.location)
    line = {"menu_item_id": item.pk, "quantity": 1}

    def replay(path, body):
        return browser.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **queued)

    created = replay("/api/v1/orders/", {"type": "TAKEAWAY", "items": [line]})
    order = created.json()
    added = replay(f"/api/v1/orders/{order['id']}/items/", {"items": [line], "version": order["version"]})
    paid = replay(f"/api/v1/orders/{order['id']}/payments/", {"tender": "CARD", "amount": added.json()["total"]})

    assert (created.status_code, added.status_code, paid.status_code) == (201, 200, 201), paid.content
    assert Order.objects.get(pk=order["id"]).staff == first
    assert paid.json()["order"]["paid_total"] == added.json()["total"]


def test_an_api_key_ignores_the_staff_header(till):
    terminal, _ = till
    manager = staff(terminal.location, Role.MANAGER)
    client = api_with_key(terminal.location, ["orders:read"])
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_STAFF_ID=str(manager.pk))

    me = client.get("/api/v1/me/")
    report = client.get("/api/v1/reports/sales/")

    assert (me.status_code, me.json()["kind"], me.json()["user"]) == (200, "api_key", None)
    assert report.status_code == 403
