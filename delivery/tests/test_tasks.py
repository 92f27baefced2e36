"""The tasks queue what an attempt asks for: the same row after its backoff (a long one is the sweeper's) and the
notices it wrote; the sweep queues each due row once; services queue after commit with Celery's Django task."""

import logging

import pytest
from celery.contrib.django.task import DjangoTask
from django.db import transaction

from delivery import tasks
from delivery.models import Attempt, EmailDelivery

from .factories import WebhookEndpointFactory, due_delivery, sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, tuple, float | None]]:
    """Stands in for the broker: what the tasks queued, as (task name, arguments, countdown)."""
    sent = []
    for task in (tasks.webhook_deliver, tasks.email_send):
        monkeypatch.setattr(
            task, "apply_async", lambda args, countdown=None, name=task.name: sent.append((name, args, countdown))
        )
        monkeypatch.setattr(task, "delay", lambda *args, name=task.name: sent.append((name, args, None)))
    return sent


def test_a_failed_webhook_attempt_is_queued_again_after_its_backoff_with_the_notices_it_wrote(queued, monkeypatch):
    monkeypatch.setattr(tasks, "webhook_attempt", lambda delivery_id: Attempt("retry", retry_in=30.0, emails=(5, 6)))

    assert tasks.webhook_deliver(1) == "retry"

    assert queued == [
        ("realtime.tasks.webhook_deliver", (1,), 30.0),
        ("realtime.tasks.email_send", (5,), None),
        ("realtime.tasks.email_send", (6,), None),
    ]


def test_a_webhook_retry_past_half_the_visibility_timeout_is_left_to_the_sweeper(queued, monkeypatch, settings):
    settings.CELERY_VISIBILITY_TIMEOUT = 600
    monkeypatch.setattr(tasks, "webhook_attempt", lambda delivery_id: Attempt("retry", retry_in=300.0))

    assert tasks.webhook_deliver(1) == "retry"

    assert queued == []


def test_a_failed_email_is_queued_again_after_its_backoff_and_a_sent_one_is_not(queued, monkeypatch):
    monkeypatch.setattr(tasks, "email_attempt", lambda email_id: Attempt("retry", retry_in=12.5))
    assert tasks.email_send(3) == "retry"
    monkeypatch.setattr(tasks, "email_attempt", lambda email_id: Attempt("sent"))
    assert tasks.email_send(4) == "sent"

    assert queued == [("realtime.tasks.email_send", (3,), 12.5)]


def test_the_sweep_queues_each_due_row_once_until_it_is_stale_again(queued):
    endpoint = WebhookEndpointFactory()
    sale(endpoint.location)
    delivery = due_delivery(endpoint)
    email = EmailDelivery.objects.create(kind="RECEIPT", to="guest@example.com", subject="Receipt", body="Thanks")

    assert tasks.deliveries_sweep(0) == {"webhooks": 1, "emails": 1}
    assert tasks.deliveries_sweep(300) == {"webhooks": 0, "emails": 0}  # queued a moment ago

    assert sorted(queued) == [
        ("realtime.tasks.email_send", (email.pk,), None),
        ("realtime.tasks.webhook_deliver", (delivery.pk,), None),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_broker_refusing_after_the_commit_is_logged_not_raised_into_the_caller(monkeypatch, caplog):
    """Celery's Django task queues on commit; a failure there must not turn a committed change into an error."""
    assert isinstance(tasks.email_send, DjangoTask)

    def broker_down(*args, **kwargs):
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(tasks.email_send, "delay", broker_down)
    with caplog.at_level(logging.ERROR), transaction.atomic():
        tasks.email_send.delay_on_commit(1)

    assert "the broker is down" in caplog.text
