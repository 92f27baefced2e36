"""Webhook targets checked against their allow-list (no SSRF), and one slow endpoint holding only its own deliveries."""

import pytest
from django.core.cache import cache

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.celery import app as celery_app
from delivery import webhook_limits
from delivery.models import DeliveryStatus, WebhookEndpoint
from delivery.webhooks import webhook_attempt
from testing.netguard import PRODUCTION

from .factories import WebhookEndpointFactory, due_delivery, sale
from .receiver import Receiver, closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_limits():
    cache.clear()
    yield
    cache.clear()


def endpoint_form(location, url: str) -> dict:
    return {"location": location.pk, "url": url, "description": "", "secret": "whsec_x", "is_active": "on"}


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379/", "http://169.254.169.254/latest/meta-data/", "http://localhost:9808/metrics"]
)
def test_an_owner_cannot_save_an_internal_target_and_is_told_why(client, settings, url):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    location = LocationFactory()
    client.force_login(staff(location, Role.OWNER))

    response = client.post("/admin/delivery/webhookendpoint/add/", endpoint_form(location, url))

    assert response.status_code == 200  # the form again, with the field's message
    assert "is not allowed for this kind of target" in str(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()


def test_a_name_resolving_to_loopback_is_refused_at_delivery_even_if_allowed_when_saved(settings):
    """The row was saved when the check passed (here: created directly); the worker checks again and posts nothing."""
    location = LocationFactory()
    with Receiver() as receiver:
        endpoint = WebhookEndpointFactory(location=location, url=receiver.url.replace("127.0.0.1", "localhost"))
        sale(location)
        delivery = due_delivery(endpoint)
        for name, value in PRODUCTION.items():
            setattr(settings, name, value)

        outcome = webhook_attempt(delivery_id=delivery.pk).outcome

    delivery.refresh_from_db()
    assert outcome == "retry" and receiver.requests == []
    assert delivery.last_error.startswith("Refused: The address") and "is not allowed" in delivery.last_error
    assert not webhook_limits.breaker_open(endpoint.pk)  # our refusal is not the endpoint's silence


def test_a_delivery_over_the_endpoints_in_flight_cap_is_postponed_not_attempted(settings):
    settings.WEBHOOK_ENDPOINT_MAX_IN_FLIGHT = 1
    location = LocationFactory()
    endpoint = WebhookEndpointFactory(location=location)
    sale(location)
    delivery = due_delivery(endpoint)

    with webhook_limits.in_flight_slot(endpoint.pk) as held:  # another worker's POST to this endpoint
        assert held
        outcome = webhook_attempt(delivery_id=delivery.pk).outcome
        with webhook_limits.in_flight_slot(endpoint.pk) as second:
            assert not second

    delivery.refresh_from_db()
    assert outcome == "throttled"
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    with webhook_limits.in_flight_slot(endpoint.pk) as freed:
        assert freed


def test_an_endpoint_that_keeps_timing_out_opens_its_breaker_and_its_deliveries_wait(settings):
    settings.WEBHOOK_BREAKER_FAILURES, settings.WEBHOOK_BREAKER_COOLDOWN = 2, 60
    location = LocationFactory()
    endpoint = WebhookEndpointFactory(location=location, url=f"http://127.0.0.1:{closed_port()}/hooks")
    sale(location)
    first = due_delivery(endpoint)

    outcomes = []
    for _ in range(2):
        type(first).objects.filter(pk=first.pk).update(next_attempt_at=first.created_at)
        outcomes.append(webhook_attempt(delivery_id=first.pk).outcome)
    other = due_delivery(endpoint, event_id="evt_other")
    outcomes.append(webhook_attempt(delivery_id=other.pk).outcome)

    other.refresh_from_db()
    assert outcomes == ["retry", "retry", "breaker_open"]
    assert (other.status, other.attempts) == (DeliveryStatus.PENDING, 0)  # re-scheduled, not dropped
    assert (other.next_attempt_at - other.created_at).total_seconds() >= 60


def test_a_success_closes_the_breaker(settings):
    settings.WEBHOOK_BREAKER_FAILURES = 1
    location = LocationFactory()
    with Receiver() as receiver:
        endpoint = WebhookEndpointFactory(location=location, url=receiver.url)
        webhook_limits.breaker_failure(endpoint.pk)
        assert webhook_limits.breaker_open(endpoint.pk)
        cache.delete(f"webhook:{endpoint.pk}:open")  # the cool-down is over: the next attempt probes
        sale(location)

        assert webhook_attempt(delivery_id=due_delivery(endpoint).pk).outcome == "delivered"

    assert not webhook_limits.breaker_open(endpoint.pk)
    assert cache.get(f"webhook:{endpoint.pk}:failures") is None


def test_the_embedded_eager_mode_still_delivers(django_capture_on_commit_callbacks, monkeypatch):
    """`make serve` runs tasks in the request (no worker, no queues): the checks and limits still let it deliver."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # as without REDIS_URL
    location = LocationFactory()
    with Receiver() as receiver:
        WebhookEndpointFactory(location=location, url=receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            sale(location)

    assert [request["json"]["type"] for request in receiver.requests] == ["order.created"]
