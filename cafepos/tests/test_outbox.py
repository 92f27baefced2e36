from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from cafepos import outbox
from cafepos.models import Event, LocationSequence
from cafepos.outbox import event_emit, events_emit, events_purge, events_relay, events_since, location_lock
from cafepos.tasks import relay_events
from cafepos.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def emit(location_id: int, **data) -> Event:
    with transaction.atomic():
        location_lock(location_id)
        return event_emit(location_id=location_id, type="test.happened", data=data)


def test_seqs_start_at_one_per_location_and_have_no_gaps():
    for location_id in (1, 2, 1, 1, 2):
        emit(location_id)

    assert list(Event.objects.filter(location_id=1).values_list("seq", flat=True).order_by("seq")) == [1, 2, 3]
    assert list(Event.objects.filter(location_id=2).values_list("seq", flat=True).order_by("seq")) == [1, 2]
    assert LocationSequence.objects.get(pk=1).last_seq == 3


def test_emitting_under_the_location_lock_costs_two_queries_however_many_events(django_assert_max_num_queries):
    emit(1)  # the location's lock row exists from now on

    with transaction.atomic(), django_assert_max_num_queries(2):
        event_emit(location_id=1, type="test.happened", data={})
    with transaction.atomic(), django_assert_max_num_queries(2):
        written = events_emit(location_id=1, events=[("test.first", {"n": 1}), ("test.second", {"n": 2})])

    assert [(event.seq, event.type, event.data) for event in written] == [
        (3, "test.first", {"n": 1}),
        (4, "test.second", {"n": 2}),
    ]
    assert list(Event.objects.filter(location_id=1).order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_the_after_commit_relay_hands_a_changes_events_over_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    # given the real handlers (sockets, webhooks, emails) and a location without webhook endpoints
    emit(5)

    # when a change writes three events and commits, the relay takes them, hands them over and marks them
    # the change: BEGIN, seqs, insert, COMMIT; the relay: BEGIN, the rows taken and marked in one UPDATE, COMMIT
    # (the location's webhook endpoints come from the cache since the first relay)
    with django_assert_max_num_queries(4 + 3), transaction.atomic():
        events_emit(location_id=5, events=[("order.created", {}), ("ticket.created", {}), ("ticket.created", {})])

    assert not Event.objects.filter(published_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_emit_and_lock_outside_a_transaction_are_refused():
    with pytest.raises(TransactionManagementError):
        event_emit(location_id=1, type="test.happened", data={})
    with pytest.raises(TransactionManagementError):
        location_lock(1)

    assert not Event.objects.exists()


def test_event_data_must_be_a_dict():
    with transaction.atomic(), pytest.raises(TypeError):
        event_emit(location_id=1, type="test.happened", data=["not", "a", "dict"])


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_event_and_uses_no_seq(handled):
    with pytest.raises(RuntimeError), transaction.atomic():
        event_emit(location_id=1, type="test.happened", data={"n": 1})
        raise RuntimeError("the change failed")

    assert not Event.objects.exists()
    assert emit(1, n=2).seq == 1
    assert [(event.seq, event.data) for event in handled] == [(1, {"n": 2})]


@pytest.mark.django_db(transaction=True)
def test_events_of_a_rolled_back_savepoint_are_not_handed_over(handled):
    # the relay is given the events as written: those a savepoint undid must not be among them
    with transaction.atomic():
        location_lock(7)
        event_emit(location_id=7, type="test.kept", data={"n": 1})
        with pytest.raises(RuntimeError), transaction.atomic():
            events_emit(location_id=7, events=[("test.undone", {"n": 2}), ("test.undone", {"n": 3})])
            raise RuntimeError("this part failed")
        event_emit(location_id=7, type="test.kept", data={"n": 4})

    assert [(e.type, e.seq, e.data) for e in handled] == [("test.kept", 1, {"n": 1}), ("test.kept", 2, {"n": 4})]
    assert [(e.pk, e.data) for e in handled] == list(Event.objects.order_by("seq").values_list("pk", "data"))


@pytest.mark.django_db(transaction=True)
def test_a_registered_handler_receives_each_committed_event_once_after_commit(handled):
    with transaction.atomic():
        location_lock(7)
        first = event_emit(location_id=7, type="order.created", data={"number": 1})
        second = event_emit(location_id=7, type="ticket.created", data={"station": "BAR"})
        assert handled == []  # nothing leaves before the commit

    assert [(e.pk, e.type, e.seq, e.data) for e in handled] == [
        (first.pk, "order.created", 1, {"number": 1}),
        (second.pk, "ticket.created", 2, {"station": "BAR"}),
    ]
    assert not Event.objects.filter(published_at__isnull=True).exists()
    assert events_relay() == 0
    assert len(handled) == 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_emits_twice_is_handed_over_in_one_batch(handled):
    batches = []
    outbox.register_handler("test-batches", lambda events: batches.append([event.seq for event in events]))

    with transaction.atomic():
        location_lock(7)
        event_emit(location_id=7, type="order.created", data={})
        events_emit(location_id=7, events=[("ticket.created", {}), ("ticket.created", {})])

    assert batches == [[1, 2, 3]]
    assert [event.seq for event in handled] == [1, 2, 3]


@pytest.mark.postgres  # closing SQLite's in-memory test database would drop it
@pytest.mark.django_db(transaction=True)
def test_a_relay_failing_after_commit_leaves_the_committed_change_to_its_caller(handled):
    # given the database connection lost while two events are handed over (PostgreSQL crashing
    # right after the commit)
    def connection_lost(events):
        outbox.register_handler("connection-lost", lambda events: None)  # once
        connection.connection.close()

    outbox.register_handler("connection-lost", connection_lost)

    # when a change and its events commit, then the caller goes on (the relay's failure is only logged)
    with transaction.atomic():
        location_lock(7)
        events_emit(location_id=7, events=[("order.created", {}), ("ticket.created", {})])

    # and the sweeper publishes the events once the database answers again
    connection.close()
    assert Event.objects.filter(published_at__isnull=True).count() == 2
    assert events_relay() == 2


def test_the_sweeper_publishes_unpublished_events_in_order_once(handled):
    for location_id, seq in ((1, 1), (2, 1), (1, 2), (1, 3)):
        EventFactory(location_id=location_id, seq=seq)

    assert events_relay() == 4
    assert events_relay() == 0

    assert [(e.location_id, e.seq) for e in handled] == [(1, 1), (1, 2), (1, 3), (2, 1)]
    assert not Event.objects.filter(published_at__isnull=True).exists()


def test_a_failing_handler_keeps_its_event_and_the_later_ones_of_that_location(handled):
    # given a handler that fails on the first event of location 1
    EventFactory(location_id=1, seq=1)
    EventFactory(location_id=1, seq=2)
    EventFactory(location_id=2, seq=1)
    failures = [(1, 1)]

    def flaky(events):
        for event in events:
            if (event.location_id, event.seq) in failures:
                failures.remove((event.location_id, event.seq))
                raise ConnectionError("socket layer down")

    outbox.register_handler("flaky", flaky)

    # when the sweeper runs: location 2 goes on, location 1 waits (in order) for the next sweep
    assert events_relay() == 1
    unpublished = Event.objects.filter(published_at__isnull=True).order_by("location_id", "seq")
    assert [(e.location_id, e.seq) for e in unpublished] == [(1, 1), (1, 2)]

    # then the next sweep hands them over, in order
    assert events_relay() == 2
    assert [(e.location_id, e.seq) for e in handled] == [(1, 1), (1, 2), (2, 1), (1, 1), (1, 2)]


def writes_then_fails(events):
    Event.objects.create(location_id=99, seq=1, type="handler.side_effect", data={})
    raise ValueError("boom")


def test_a_failing_handler_rolls_back_its_database_writes(handled):
    EventFactory(location_id=1, seq=1)
    outbox.register_handler("writes-then-fails", writes_then_fails)

    assert events_relay() == 0
    assert not Event.objects.filter(location_id=99).exists()


@pytest.mark.django_db(transaction=True)
def test_a_handler_failing_after_commit_rolls_back_its_writes_and_the_sweep_publishes_later(handled):
    # given a handler that writes, then fails, when a change's events are relayed after its commit
    outbox.register_handler("writes-then-fails", writes_then_fails)
    emit(3, n=1)

    # then its write is undone and the event stays unpublished
    assert not Event.objects.filter(location_id=99).exists()
    assert Event.objects.get(location_id=3).published_at is None

    # and once the handler recovers, the sweep hands it over
    outbox.register_handler("writes-then-fails", lambda events: None)
    assert events_relay() == 1
    assert [(event.location_id, event.seq) for event in handled] == [(3, 1), (3, 1)]


def test_events_since_returns_later_events_of_that_location_in_order():
    for seq in (3, 1, 4, 2):
        EventFactory(location_id=1, seq=seq)
    EventFactory(location_id=2, seq=5)

    assert [e.seq for e in events_since(location_id=1, seq=1, limit=10)] == [2, 3, 4]
    assert [e.seq for e in events_since(location_id=1, seq=1, limit=2)] == [2, 3]
    assert events_since(location_id=1, seq=4, limit=10) == []


def test_purge_deletes_old_published_events_but_never_unpublished_ones():
    old = timezone.now() - timedelta(days=3)
    EventFactory(seq=1, created_at=old, published_at=old)
    unpublished = EventFactory(seq=2, created_at=old)
    recent = EventFactory(seq=3, published_at=timezone.now())

    assert events_purge() == 1

    assert set(Event.objects.values_list("pk", flat=True)) == {unpublished.pk, recent.pk}
    with pytest.raises(ValueError):
        events_purge(older_than=timedelta(hours=12))


def test_relay_events_command_publishes_pending_events(handled, capsys):
    EventFactory.create_batch(2)

    call_command("relay_events")

    assert "published 2 event(s)" in capsys.readouterr().out
    assert len(handled) == 2


def test_relay_events_celery_task_publishes_pending_events(handled):
    EventFactory.create_batch(2)

    assert relay_events.apply().get() == 2
    assert len(handled) == 2
