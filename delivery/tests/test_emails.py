"""Receipt emails on request and the owners' daily summary, sent through the email delivery rows."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import Location, Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, staff
from cafepos.exceptions import ApplicationError
from delivery.emails import email_attempt
from delivery.models import DeliveryStatus, EmailDelivery
from delivery.services import receipt_email_send
from menu.tests.factories import MenuItemFactory
from orders.models import Order
from orders.services import order_create, payment_add
from orders.tests.factories import line
from reports.summaries import daily_summaries_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order():
    location = LocationFactory(name="Central")
    cashier = staff(location, Role.CASHIER)
    latte = MenuItemFactory(location=location, name="Latte", price=Decimal("3.80"), tax_rate=Decimal("10.00"))
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(latte, 2)])
    payment_add(order=order, staff=cashier, tender="CARD", amount=order.balance_due, tip=Decimal("0.40"))
    return order


def test_a_receipt_is_emailed_on_request(paid_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        email = receipt_email_send(order=paid_order, to="guest@example.com")

    assert len(queued) == 1
    assert email_attempt(email_id=email.pk).outcome == "sent"
    assert email_attempt(email_id=email.pk).outcome == "done"  # a second task sends nothing
    [sent] = mail.outbox
    assert sent.to == ["guest@example.com"]
    assert sent.subject == f"Your receipt from Central ({paid_order.display_number})"
    # English as written in France (the factory's location)
    assert "2 × Latte" in sent.body and "7,60\xa0€" in sent.body
    assert "Tax 10% (included)" in sent.body and "0,69\xa0€" in sent.body
    assert "Tip" in sent.body and "8,00\xa0€" in sent.body
    assert EmailDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_the_emailed_receipt_names_the_seller_and_reads_the_locations_clock(paid_order):
    """A Paris cafe's order created at 04:02 UTC reads 05:02, beside the legal name, address and tax number."""
    Location.objects.filter(pk=paid_order.location.pk).update(
        legal_name="Café Lumière SAS",
        address="12 rue de la Paix\n75002 Paris",
        tax_number="FR40123456789",
        receipt_footer="Open daily 7:00–19:00",
    )
    Order.objects.filter(pk=paid_order.pk).update(created_at=datetime(2026, 12, 4, 4, 2, tzinfo=UTC))

    receipt_email_send(order=paid_order, to="guest@example.com")

    rows = EmailDelivery.objects.get(kind="RECEIPT").body.splitlines()
    assert rows[:6] == [
        "Central — receipt 1",
        "Café Lumière SAS",
        "12 rue de la Paix",
        "75002 Paris",
        "VAT/tax no. FR40123456789",
        f"Order {paid_order.display_number}, 04/12/2026, 05:02",
    ]
    assert rows[-1] == "Open daily 7:00–19:00"


def test_a_send_the_mail_server_refuses_asks_to_be_tried_again_later(paid_order, monkeypatch):
    email = receipt_email_send(order=paid_order, to="guest@example.com")

    def refused(message):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refused)
    attempt = email_attempt(email_id=email.pk)

    email.refresh_from_db()
    assert attempt.outcome == "retry" and attempt.retry_in > 0
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 1)
    assert email.last_error == "ConnectionRefusedError: no SMTP server"


def test_a_receipt_needs_a_valid_address(paid_order):
    with pytest.raises(ApplicationError) as refused:
        receipt_email_send(order=paid_order, to="not an address")

    assert refused.value.code == "email.invalid" and "to" in refused.value.fields


def test_owners_get_the_summary_of_yesterday_once(paid_order, django_capture_on_commit_callbacks):
    location = paid_order.location
    owner = staff(location, Role.OWNER, email="boss@example.com")
    tomorrow = location.business_day() + timedelta(days=1)
    next_morning = datetime.combine(tomorrow, time(9), tzinfo=location.zone)

    with django_capture_on_commit_callbacks(execute=False):
        assert daily_summaries_send(now=next_morning) == 1
        assert daily_summaries_send(now=next_morning) == 0

    summary = EmailDelivery.objects.get(kind="DAILY_SUMMARY")
    assert summary.to == owner.email
    assert summary.subject == f"Central: 7,60\xa0€ net on {location.business_day().isoformat()}"
    assert "Orders:            1" in summary.body and "Tips:              0,40\xa0€" in summary.body


def test_a_guests_receipt_is_in_the_locations_language_whatever_the_senders(paid_order):
    """An Irish cafe that speaks German: German amounts, date and time, though the sender's language is English."""
    Location.objects.filter(pk=paid_order.location.pk).update(country="IE", language="de")

    with translation.override("en"):
        receipt_email_send(order=paid_order, to="guest@example.com")

    body = EmailDelivery.objects.get(kind="RECEIPT").body
    assert "7,60\xa0€" in body and "€7.60" not in body
    assert paid_order.created_at.astimezone(paid_order.location.zone).strftime("%d.%m.%y, %H:%M") in body


def test_the_api_queues_a_receipt_email(paid_order, django_capture_on_commit_callbacks):
    cashier = paid_order.staff
    url = f"/api/v1/orders/{paid_order.pk}/receipt-email/"

    with django_capture_on_commit_callbacks(execute=False):
        accepted = api_as(cashier).post(url, {"email": "guest@example.com"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    refused = api_as(cashier).post(url, {"email": "nope"}, format="json", HTTP_IDEMPOTENCY_KEY="r2")
    elsewhere = api_as(staff(LocationFactory(), Role.CASHIER)).post(
        url, {"email": "a@example.com"}, format="json", HTTP_IDEMPOTENCY_KEY="r3"
    )

    assert accepted.status_code == 202 and accepted.json()["to"] == "guest@example.com"
    assert EmailDelivery.objects.get().kind == "RECEIPT"
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "email.invalid"
    assert elsewhere.status_code == 404


def test_a_receipt_email_request_is_sent_once_per_idempotency_key(paid_order, django_capture_on_commit_callbacks):
    # given a receipt emailed through the API with a key
    client = api_as(paid_order.staff)
    url = f"/api/v1/orders/{paid_order.pk}/receipt-email/"
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(url, {"email": "guest@example.com"}, format="json", HTTP_IDEMPOTENCY_KEY="tap-1")

    # when the POS retries with the same key, reuses it for another address, or sends no key
    replayed = client.post(url, {"email": "guest@example.com"}, format="json", HTTP_IDEMPOTENCY_KEY="tap-1")
    reused = client.post(url, {"email": "other@example.com"}, format="json", HTTP_IDEMPOTENCY_KEY="tap-1")
    keyless = client.post(url, {"email": "guest@example.com"}, format="json")

    # then the retry gets the first answer, and only one email is queued
    assert (replayed.status_code, replayed.json()) == (202, first.json())
    assert replayed["Idempotent-Replayed"] == "true"
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency.key_reused"
    assert keyless.status_code == 400 and keyless.json()["error"]["code"] == "idempotency.key_required"
    assert EmailDelivery.objects.count() == 1
