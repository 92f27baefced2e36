"""The outbox under real concurrency and a real crash: threads and a child process on PostgreSQL."""

import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction

from cafepos.models import Event
from cafepos.outbox import event_emit, events_relay, location_lock, register_handler
from cafepos.tests.concurrency import child_process_env, run_concurrently
from cafepos.tests.factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def seqs_by_location(events) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for event in events:
        result.setdefault(event.location_id, []).append(event.seq)
    return result


def test_concurrent_writers_get_gap_free_seqs_published_in_commit_order(handled):
    # given 8 writers, each committing 25 events one by one, on two locations that have no lock row yet,
    # and a handler slow enough for the after-commit relays of one location to overlap
    record = handled.extend
    register_handler("test-recorder", lambda events: (time.sleep(0.003), record(events)))

    def writer(index: int) -> list[int]:
        late = []
        for n in range(25):
            with transaction.atomic():
                location_lock(1 + index % 2)
                event = event_emit(location_id=1 + index % 2, type="test.written", data={"writer": index, "n": n})
            if Event.objects.filter(pk=event.pk, published_at__isnull=True).exists():
                late.append(event.pk)
        return late

    # when they run at once
    results = run_concurrently(8, writer)

    # then each location has seqs 1..100 exactly, numbered in insertion (commit) order
    assert results == [[]] * 8  # no error, and each event was handed over before its commit returned
    for location_id in (1, 2):
        seqs_in_insert_order = list(Event.objects.filter(location_id=location_id).order_by("pk").values_list("seq"))
        assert [seq for (seq,) in seqs_in_insert_order] == list(range(1, 101))
    # and the after-commit relay handed every event over once, in seq order per location
    assert seqs_by_location(handled) == {1: list(range(1, 101)), 2: list(range(1, 101))}
    assert not Event.objects.filter(published_at__isnull=True).exists()


def test_two_concurrent_sweepers_never_hand_one_event_over_twice(handled):
    # given 180 unpublished events on three locations, and a handler slow enough for the sweepers to overlap
    Event.objects.bulk_create(
        EventFactory.build(location_id=location_id, seq=seq) for location_id in (1, 2, 3) for seq in range(1, 61)
    )
    total = Event.objects.count()
    record = handled.extend
    register_handler("test-recorder", lambda events: (time.sleep(0.002), record(events)))

    def sweeper(_: int) -> int:
        published = 0
        deadline = time.monotonic() + 30
        while len(handled) < total and time.monotonic() < deadline:
            published += events_relay(limit=10)
        return published

    # when two sweepers run at once
    published = run_concurrently(2, sweeper)

    # then every event was handed over exactly once, in seq order per location
    assert sum(published) == total
    assert max(Counter((e.location_id, e.seq) for e in handled).values()) == 1
    assert seqs_by_location(handled) == {location_id: list(range(1, 61)) for location_id in (1, 2, 3)}
    assert not Event.objects.filter(published_at__isnull=True).exists()


CRASH_AFTER_COMMIT = """
import os
import django

django.setup()
from django.db import transaction
from cafepos.outbox import event_emit

with transaction.atomic():
    # Registered before event_emit's relay trigger, so it runs first: the process dies after the commit
    # and before anything is relayed.
    transaction.on_commit(lambda: os._exit(0))
    event_emit(location_id=42, type="order.created", data={"number": 1})
raise SystemExit("not reached: the process should have died on commit")
"""


def test_an_event_committed_by_a_process_killed_before_relaying_is_published_by_the_sweeper(handled):
    # given a process that commits an event and is killed before its after-commit relay runs
    subprocess.run(
        [sys.executable, "-c", CRASH_AFTER_COMMIT],
        env=child_process_env(),
        cwd=settings.BASE_DIR,
        check=True,
        timeout=120,
    )
    event = Event.objects.get()
    assert (event.location_id, event.seq, event.published_at) == (42, 1, None)

    # when the sweeper runs (twice)
    assert events_relay() == 1
    assert events_relay() == 0

    # then the event was handed over exactly once
    assert [(e.pk, e.type, e.data) for e in handled] == [(event.pk, "order.created", {"number": 1})]
    event.refresh_from_db()
    assert event.published_at is not None
