"""Webhook rows from outbox events, one attempt at a time, disabling a dead endpoint, and resending from admin."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.models import Event
from delivery.models import DeliveryStatus, EmailDelivery, WebhookDelivery
from delivery.services import webhook_events_handle
from delivery.webhooks import active_endpoints, event_id, webhook_attempt, webhook_signature

from .factories import WebhookEndpointFactory, due_delivery, sale
from .receiver import Receiver, closed_port

pytestmark = pytest.mark.django_db


def test_the_signature_is_an_hmac_of_timestamp_dot_body():
    body = '{"id":"evt_1_1"}'
    expected = hmac.new(b"whsec_test", b"1700000000." + body.encode(), hashlib.sha256).hexdigest()

    assert webhook_signature(secret="whsec_test", body=body, timestamp=1700000000) == f"t=1700000000,v1={expected}"


def test_each_active_endpoint_of_the_location_that_wants_the_event_gets_one_delivery(
    django_capture_on_commit_callbacks,
):
    location = LocationFactory()
    wants_orders = WebhookEndpointFactory(location=location, event_types=["order.created"])
    wants_all = WebhookEndpointFactory(location=location, event_types=[])
    WebhookEndpointFactory(location=location, event_types=["menu.updated"])
    WebhookEndpointFactory(location=location, is_active=False)
    WebhookEndpointFactory(location=LocationFactory())

    with django_capture_on_commit_callbacks(execute=False):
        sale(location)
        event = Event.objects.get(type="order.created")
        webhook_events_handle([event])
        webhook_events_handle([event])  # the relay handing it over again adds nothing

    created = WebhookDelivery.objects.filter(event_id=f"evt_{location.pk}_{event.seq}")
    assert sorted(created.values_list("endpoint_id", flat=True)) == [wants_orders.pk, wants_all.pk]


def deliveries_for_next_sale(location) -> list[int]:
    """The endpoints the relay writes a delivery for, for the order.created of a new sale."""
    sale(location)
    event = Event.objects.filter(location_id=location.pk, type="order.created").latest("seq")
    webhook_events_handle([event])
    return sorted(WebhookDelivery.objects.filter(event_id=event_id(event)).values_list("endpoint_id", flat=True))


def test_the_relay_reads_endpoints_from_the_cache_and_sees_every_change_at_once(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    location = LocationFactory()
    first = WebhookEndpointFactory(location=location)
    with django_capture_on_commit_callbacks(execute=False):
        assert deliveries_for_next_sale(location) == [first.pk]
        event = Event.objects.filter(location_id=location.pk, type="order.created").latest("seq")
        with django_assert_num_queries(2):  # the deliveries' INSERT (conflicts ignored) and their ids; no endpoints
            webhook_events_handle([event])

        second = WebhookEndpointFactory(location=location)
        assert deliveries_for_next_sale(location) == [first.pk, second.pk]
        first.is_active = False
        first.save()
        assert deliveries_for_next_sale(location) == [second.pk]
        second.delete()
        assert deliveries_for_next_sale(location) == []


def test_an_endpoint_failing_for_24_hours_is_disabled_and_its_owners_told(django_capture_on_commit_callbacks):
    location = LocationFactory()
    owner = staff(location, Role.OWNER, email="boss@example.com")
    with Receiver(statuses=[500]) as receiver:
        endpoint = WebhookEndpointFactory(
            location=location, url=receiver.url, failing_since=timezone.now() - timedelta(hours=25), created_by=owner
        )
        with django_capture_on_commit_callbacks(execute=False):
            sale(location)
            assert active_endpoints(location.pk) == [endpoint]  # cached for the relay
            delivery = due_delivery(endpoint)
            attempt = webhook_attempt(delivery_id=delivery.pk)

    endpoint.refresh_from_db()
    assert attempt.outcome == "retry" and attempt.retry_in is not None
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, "Every delivery failed for 24 hours.")
    [notice] = EmailDelivery.objects.filter(kind="WEBHOOK_DISABLED")
    assert notice.to == "boss@example.com" and endpoint.url in notice.body
    assert attempt.emails == (notice.pk,)  # for the task to send
    assert webhook_attempt(delivery_id=delivery.pk).outcome == "not_due"
    with django_capture_on_commit_callbacks(execute=False):
        assert deliveries_for_next_sale(location) == []  # the relay's cached endpoints know it at once


def test_a_delivery_past_its_retry_window_is_given_up(django_capture_on_commit_callbacks):
    location = LocationFactory()
    with Receiver(statuses=[503]) as receiver:
        endpoint = WebhookEndpointFactory(location=location, url=receiver.url)
        with django_capture_on_commit_callbacks(execute=False):
            sale(location)
            delivery = due_delivery(endpoint, retry_until=timezone.now() + timedelta(seconds=1))
            outcome = webhook_attempt(delivery_id=delivery.pk).outcome

    delivery.refresh_from_db()
    assert (outcome, delivery.status, delivery.last_error) == ("failed", DeliveryStatus.FAILED, "HTTP 503")
    assert webhook_attempt(delivery_id=delivery.pk).outcome == "done"


def test_an_unreachable_endpoint_is_retried_later_with_backoff(django_capture_on_commit_callbacks):
    location = LocationFactory()
    endpoint = WebhookEndpointFactory(location=location, url=f"http://127.0.0.1:{closed_port()}/closed")
    with django_capture_on_commit_callbacks(execute=False):
        sale(location)
        delivery = due_delivery(endpoint)
        before = timezone.now()
        outcome = webhook_attempt(delivery_id=delivery.pk).outcome

    delivery.refresh_from_db()
    assert outcome == "retry" and delivery.attempts == 1
    assert delivery.next_attempt_at > before
    assert delivery.attempt_log.get().status_code is None


def test_an_owner_resends_a_failed_delivery_from_admin(client, django_capture_on_commit_callbacks):
    location = LocationFactory()
    owner = staff(location, Role.OWNER)
    endpoint = WebhookEndpointFactory(location=location)
    with django_capture_on_commit_callbacks(execute=False):
        sale(location)
    delivery = due_delivery(endpoint, status=DeliveryStatus.FAILED, attempts=7)
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            "/admin/delivery/webhookdelivery/", {"action": "resend", "_selected_action": [delivery.pk]}
        )

    delivery.refresh_from_db()
    assert response.status_code == 302
    assert delivery.status == DeliveryStatus.PENDING and delivery.retry_until > timezone.now() + timedelta(hours=23)
    assert len(queued) == 1
    assert client.get(f"/admin/delivery/webhookdelivery/{delivery.pk}/change/").status_code == 200


def test_managers_do_not_see_webhooks(client):
    location = LocationFactory()
    client.force_login(staff(location, Role.MANAGER))

    assert client.get("/admin/delivery/webhookendpoint/").status_code == 403


def test_the_old_admin_addresses_of_webhooks_and_emails_lead_to_the_delivery_pages(client):
    location = LocationFactory()
    client.force_login(staff(location, Role.OWNER))

    moved = client.get("/admin/realtime/webhookdelivery/?status=FAILED")
    page = client.get(moved["Location"])

    assert (moved.status_code, moved["Location"]) == (301, "/admin/delivery/webhookdelivery/?status=FAILED")
    assert page.status_code == 200
    assert (
        client.get("/admin/realtime/emaildelivery/3/change/")["Location"] == "/admin/delivery/emaildelivery/3/change/"
    )
