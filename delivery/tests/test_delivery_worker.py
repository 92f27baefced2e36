"""Webhooks and emails through a real Celery worker (subprocess), PostgreSQL rows and the Redis broker."""

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.tests.celery_worker import broker_flush, celery_worker_fixture, celery_worker_session_fixture  # noqa: F401
from cafepos.tests.waiting import wait_until
from delivery.models import DeliveryStatus, EmailDelivery, WebhookAttempt, WebhookDelivery
from delivery.tasks import deliveries_sweep
from orders.models import Order
from orders.services import ticket_bump, ticket_recall, ticket_start

from .factories import WebhookEndpointFactory, sale
from .receiver import Receiver, signature_valid

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def delivered(count: int = 1):
    return lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() >= count


def test_an_order_event_is_posted_to_the_endpoint_signed_with_its_secret(celery_worker):
    location = LocationFactory()
    with Receiver() as receiver:
        endpoint = WebhookEndpointFactory(location=location, url=receiver.url)
        order = sale(location)
        wait_until(delivered(), message="the delivery")

    [request] = receiver.requests
    payload = request["json"]
    assert signature_valid(
        secret=endpoint.secret, header=request["headers"]["X-CafePOS-Signature"], body=request["body"]
    )
    assert set(payload) == {"id", "type", "seq", "created_at", "location_id", "data"}
    assert payload["type"] == "order.created"
    assert payload["location_id"] == location.pk
    assert payload["id"] == f"evt_{location.pk}_{payload['seq']}"
    assert payload["data"]["order"]["id"] == order.pk
    assert payload["data"]["order"]["total"] == 350  # the API's representation: minor units


def test_a_500_then_a_200_delivers_once_with_both_attempts_logged(celery_worker):
    location = LocationFactory()
    with Receiver(statuses=[500]) as receiver:
        WebhookEndpointFactory(location=location, url=receiver.url)
        sale(location)
        wait_until(delivered(), message="the retried delivery")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [(a.number, a.status_code, a.succeeded) for a in delivery.attempt_log.all()] == [
        (1, 500, False),
        (2, 200, True),
    ]
    assert len(receiver.requests) == 2
    assert len(set(receiver.ids())) == 1  # the same id both times: the receiver can deduplicate


def test_a_worker_killed_mid_delivery_is_redelivered_and_done_once(celery_worker):
    location = LocationFactory()
    with Receiver(hold_first=True) as receiver:
        WebhookEndpointFactory(location=location, url=receiver.url)
        sale(location)
        wait_until(lambda: receiver.requests, message="the first POST")

        celery_worker.kill()  # SIGKILL while the POST is in flight: the task is never acknowledged
        receiver.release.set()
        celery_worker.start()
        wait_until(delivered(), timeout=45, message="the redelivered task")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 2 and len(set(receiver.ids())) == 1
    # The killed attempt left nothing behind (its transaction died with it); the redelivery logged one success.
    assert [(a.number, a.succeeded) for a in WebhookAttempt.objects.all()] == [(1, True)]


def test_deliveries_pending_when_redis_is_flushed_are_all_delivered_after_the_sweep(celery_worker):
    location = LocationFactory()
    with Receiver() as receiver:
        WebhookEndpointFactory(location=location, url=receiver.url)
        celery_worker.stop()
        orders = [sale(location) for _ in range(3)]
        assert broker_flush() > 0  # the queued tasks are gone, as after a Redis restart
        celery_worker.start()
        assert not receiver.requests
        assert WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3

        assert deliveries_sweep(stale_after_seconds=0)["webhooks"] == 3
        wait_until(delivered(3), message="every swept delivery")

    assert sorted(request["json"]["data"]["order"]["id"] for request in receiver.requests) == [o.pk for o in orders]


def test_a_customer_with_an_email_is_told_once_when_the_order_is_ready(celery_worker):
    location = LocationFactory(name="Harbour Cafe")
    cook = staff(location, Role.KITCHEN)
    order = sale(location, customer={"name": "Ann", "email": "ann@example.com"})
    ticket = order.tickets.get()
    ticket_start(ticket=ticket, staff=cook)
    ticket_bump(ticket=ticket, staff=cook)
    ticket_recall(ticket=ticket, staff=cook)
    ticket_bump(ticket=ticket, staff=cook)  # READY a second time: still one email
    assert Order.objects.get(pk=order.pk).status == "READY"

    email = wait_until(
        lambda: EmailDelivery.objects.filter(status=DeliveryStatus.DELIVERED).first(), message="the email"
    )
    assert EmailDelivery.objects.count() == 1
    assert (email.kind, email.to) == ("ORDER_READY", "ann@example.com")
    sent = "".join(path.read_text() for path in celery_worker.mail_dir.iterdir())
    assert "To: ann@example.com" in sent
    assert f"Your order {order.display_number} at Harbour Cafe is ready." in sent
