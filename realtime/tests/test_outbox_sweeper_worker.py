"""A backlog met by a request's relay is drained by the Celery sweeper it kicks (a real worker, PostgreSQL, Redis),
at once rather than at beat's next run: no beat runs here."""

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import LocationFactory
from cafepos import outbox_sweeper
from cafepos.models import Event, LocationSequence
from cafepos.outbox import event_emit, location_lock
from cafepos.tests.celery_worker import broker_flush, celery_worker_fixture, celery_worker_session_fixture  # noqa: F401
from cafepos.tests.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_relay_meeting_a_backlog_has_the_worker_drain_it(celery_worker, monkeypatch):
    location_id = LocationFactory().pk
    monkeypatch.setattr(outbox_sweeper, "_last_task_kick", float("-inf"))
    with transaction.atomic():  # 3,000 events whose process died before relaying them
        location_lock(location_id)
        Event.objects.bulk_create(
            Event(location_id=location_id, seq=seq, type="test.old", data={}, created_at=timezone.now())
            for seq in range(1, 3001)
        )
        LocationSequence.objects.filter(pk=location_id).update(last_seq=3000)

    with transaction.atomic():  # a change: its relay hands over one batch, meets the backlog and kicks
        location_lock(location_id)
        event_emit(location_id=location_id, type="test.new", data={})

    wait_until(lambda: not Event.objects.filter(published_at__isnull=True).exists(), message="the backlog drained")
