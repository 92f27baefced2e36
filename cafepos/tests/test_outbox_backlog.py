"""A backlog of unpublished events (a transaction that wrote more than a batch, a sweeper that was down) holds no
new event back and is drained in the background, in batches and in order, never inside the request."""

import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cafepos import outbox, outbox_sweeper
from cafepos.models import Event, LocationSequence
from cafepos.outbox import RELAY_BATCH, event_emit, events_drain, location_lock
from cafepos.tasks import relay_events

pytestmark = pytest.mark.django_db(transaction=True)

LOCATION = 1


@pytest.fixture
def handlers(monkeypatch) -> tuple[list, list]:
    """An `ahead` recording handler and an ordinary one: the events each was handed, in order."""
    ahead, in_order = [], []
    monkeypatch.setattr(outbox, "_handlers", {})
    monkeypatch.setattr(outbox, "_ahead", set())
    outbox.register_handler("test-ahead", ahead.extend, ahead=True)
    outbox.register_handler("test-in-order", in_order.extend)
    return ahead, in_order


def backlog(count: int) -> None:
    """`count` committed events that were never relayed (their process died), as raw rows."""
    with transaction.atomic():
        location_lock(LOCATION)
        last = LocationSequence.objects.get(pk=LOCATION).last_seq
        Event.objects.bulk_create(
            Event(location_id=LOCATION, seq=last + n, type="test.old", data={}, created_at=timezone.now())
            for n in range(1, count + 1)
        )
        LocationSequence.objects.filter(pk=LOCATION).update(last_seq=last + count)


def change() -> Event:
    with transaction.atomic():
        location_lock(LOCATION)
        return event_emit(location_id=LOCATION, type="test.new", data={})


def pending() -> int:
    return Event.objects.filter(published_at__isnull=True).count()


def test_a_changes_events_behind_a_backlog_go_to_ahead_handlers_at_once_and_to_the_others_in_order(handlers):
    ahead, in_order = handlers
    backlog(1000)

    new = change()

    # the request's relay hands over one batch of the oldest, in order, and gives its own event ahead
    assert [event.seq for event in in_order] == list(range(1, RELAY_BATCH + 1))
    assert [event.seq for event in ahead] == [*range(1, RELAY_BATCH + 1), new.seq]
    assert pending() == 1001 - RELAY_BATCH  # the new event waits for the sweeper, for in-order handlers
    # the sweeper drains the rest in order: every handler ends with every seq, in order, the new one last
    assert events_drain() == 1001 - RELAY_BATCH
    assert [event.seq for event in in_order] == list(range(1, 1002))
    assert pending() == 0


def test_the_request_relay_does_one_batch_of_a_backlog_however_large(handlers):
    _, in_order = handlers
    backlog(3000)

    with CaptureQueriesContext(connection) as queries:
        change()

    assert len(in_order) == RELAY_BATCH
    assert len(queries) <= 10  # the change, one batch taken and marked, the new event's state read


def test_with_nothing_pending_the_relay_gives_nothing_ahead(handlers):
    ahead, in_order = handlers
    change()
    change()

    assert [event.seq for event in ahead] == [event.seq for event in in_order] == [1, 2]
    assert pending() == 0


def test_a_backlog_kicks_no_eager_task_inside_the_request(handlers, settings):
    # no broker (an eager Celery) and no sweeper thread: the kick must not drain inside the request
    settings.CELERY_TASK_ALWAYS_EAGER = True
    backlog(500)

    change()

    assert pending() == 501 - RELAY_BATCH


def test_the_celery_sweeper_drains_a_backlog_in_batches(handlers):
    _, in_order = handlers
    backlog(1234)

    assert relay_events.apply(kwargs={"limit": 100}).get() == 1234
    assert [event.seq for event in in_order] == list(range(1, 1235))


@pytest.mark.postgres  # a second connection writing beside the test's: SQLite's shared in-memory database locks
def test_the_in_process_sweeper_drains_a_backlog_at_once_when_kicked(handlers, settings):
    _, in_order = handlers
    settings.OUTBOX_SWEEP_INTERVAL = 3600.0  # only a kick (and its first sweep) can drain it
    outbox_sweeper.start()
    try:
        backlog(2500)
        change()  # meets the backlog and kicks
        deadline = time.monotonic() + 10
        while pending() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        outbox_sweeper.stop()
    assert pending() == 0
    assert sorted(event.seq for event in in_order) == list(range(1, 2502))


@pytest.mark.postgres
@pytest.mark.parametrize("enabled", [True, False])
def test_uvicorns_lifespan_runs_the_sweeper_thread_where_it_is_enabled(handlers, settings, enabled):
    import asyncio

    from cafepos.asgi import application

    settings.OUTBOX_SWEEPER_INPROCESS = enabled  # on by default without a broker, as `make serve` runs
    backlog(300)
    running = []

    async def serve():
        messages, sent = asyncio.Queue(), []
        for kind in ("lifespan.startup", "lifespan.shutdown"):
            messages.put_nowait({"type": kind})

        async def receive():
            message = await messages.get()
            if message["type"] == "lifespan.shutdown":  # the server has run a while: drained by then
                for _ in range(200):
                    if not await asyncio.to_thread(pending):
                        break
                    await asyncio.sleep(0.05)
                running.append(outbox_sweeper._sweeper is not None and outbox_sweeper._sweeper.is_alive())
            return message

        async def send(message):
            sent.append(message["type"])

        await application({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
        return sent

    try:
        assert asyncio.run(serve()) == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    finally:
        outbox_sweeper.stop()
    assert running == [enabled]
    assert (pending() == 0) is enabled
    assert outbox_sweeper._sweeper is None or not outbox_sweeper._sweeper.is_alive()


def test_seed_demo_leaves_no_event_unpublished():
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 (closed with the process)

    assert Event.objects.count() > 0
    assert pending() == 0


@pytest.mark.postgres
def test_a_menu_import_of_many_items_is_published_in_full_by_the_sweeper_it_kicks(settings):
    from accounts.tests.factories import LocationFactory
    from menu.csv_io import COLUMNS, menu_import_csv

    settings.OUTBOX_SWEEP_INTERVAL = 3600.0
    location = LocationFactory()
    rows = [f"SKU{n},Item {n},Food,,1.00,10.00,none,{n},yes,no," for n in range(3 * RELAY_BATCH)]
    outbox_sweeper.start()
    try:
        menu_import_csv(location=location, content="\n".join([",".join(COLUMNS), *rows]) + "\n")
        deadline = time.monotonic() + 10
        while pending() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        outbox_sweeper.stop()

    assert Event.objects.filter(location_id=location.pk).count() >= 3 * RELAY_BATCH
    assert pending() == 0
