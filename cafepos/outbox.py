"""The event outbox: events written in the transaction of their change, relayed to handlers after commit.

A service calls `location_lock(location_id)` before it locks any order, then `events_emit(...)` once with its
change's events; handlers (`register_handler`) receive each location's committed events in seq order, at least
once, so they must be idempotent and quick. docs/ARCHITECTURE.md, "How an event travels", tells the whole path.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial, update_wrapper
from itertools import groupby
from operator import attrgetter

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from .models import Event, LocationSequence

logger = logging.getLogger(__name__)

MIN_RETENTION = timedelta(hours=24)
RELAY_BATCH = 100  # events one relay hands over in one transaction

_handlers: dict[str, Callable[[list[Event]], None]] = {}
_ahead: set[str] = set()
_backlog_kick: Callable[[], None] | None = None  # the sweeper's (cafepos/apps.py): a backlog drains there


def register_handler(name: str, handler: Callable[[list[Event]], None], *, ahead: bool = False) -> None:
    """Register (or replace) the handler `name`; call from an AppConfig.ready(). Handlers run in registration order,
    each with a list of one location's events in seq order. `ahead`: the handler is also given a transaction's
    events at once when older ones are still pending (and again later, in order): only for a handler whose
    receivers deduplicate by seq and fetch what they skipped."""
    _handlers[name] = handler
    if ahead:
        _ahead.add(name)
    else:
        _ahead.discard(name)


def register_backlog_kick(kick: Callable[[], None]) -> None:
    """Have `kick` called when an after-commit relay meets a backlog: it must have the backlog drained in the
    background (the sweeper's `kick`), never in the request."""
    global _backlog_kick
    _backlog_kick = kick


def _require_atomic(operation: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            f"{operation} must run inside transaction.atomic(), with the change it belongs to"
        )


def location_lock(location_id: int) -> None:
    """Lock the location until the transaction ends: every order write calls this before it locks any order."""
    _require_atomic("location_lock")
    if not _lock_row(location_id):
        # INSERT ... ON CONFLICT DO NOTHING: two first writers of a location cannot both fail or both insert.
        LocationSequence.objects.bulk_create([LocationSequence(location_id=location_id)], ignore_conflicts=True)
        _lock_row(location_id)


def _lock_row(location_id: int) -> bool:
    """SELECT ... FOR UPDATE of the location's row, written out: every order write runs it, and building it
    through the ORM cost more than running it. False if the row is missing."""
    table = connection.ops.quote_name(LocationSequence._meta.db_table)
    # nosec B608 (the table name is the model's own, quoted; the values are parameters)
    sql = f"SELECT 1 FROM {table} WHERE location_id = %s{_for_update()}"  # noqa: S608 (see above)
    with connection.cursor() as cursor:
        cursor.execute(sql, [location_id])
        return cursor.fetchone() is not None


def _for_update() -> str:
    """Row locking where the database has it (PostgreSQL); SQLite serializes writers on its own."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _reserve_seqs(location_id: int, count: int) -> int | None:
    """One statement that locks the location row and reserves its next `count` seqs; returns the last of them
    (None if the row is missing)."""
    table = connection.ops.quote_name(LocationSequence._meta.db_table)
    # nosec B608 (the table name is the model's own, quoted; the values are parameters)
    sql = f"UPDATE {table} SET last_seq = last_seq + %s WHERE location_id = %s RETURNING last_seq"  # noqa: S608 (see above)
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, location_id])
        row = cursor.fetchone()
    return row[0] if row else None


def events_emit(*, location_id: int, events: list[tuple[str, dict]]) -> list[Event]:
    """Write `(type, data)` events in the current transaction, in this order; relayed once it commits."""
    _require_atomic("events_emit")
    for _, data in events:
        if not isinstance(data, dict):
            raise TypeError(f"event data must be a dict, got {data.__class__.__name__}")
    if not events:
        return []
    last = _reserve_seqs(location_id, len(events))
    if last is None:
        location_lock(location_id)
        last = _reserve_seqs(location_id, len(events))
    first, now = last - len(events) + 1, timezone.now()
    written = Event.objects.bulk_create(
        [
            Event(location_id=location_id, seq=seq, type=type, data=data, created_at=now)
            for seq, (type, data) in enumerate(events, start=first)
        ]
    )
    _relay_after_commit(location_id, written)
    return written


def event_emit(*, location_id: int, type: str, data: dict) -> Event:
    """Write one event in the current transaction; it is relayed once that transaction commits."""
    [event] = events_emit(location_id=location_id, events=[(type, data)])
    return event


def _relay_after_commit(location_id: int, written: list[Event]) -> None:
    """Relay the location's events once the transaction commits, handing over the events as written so the relay
    need not read them back. A transaction that emits twice registers two relays: the first hands over every
    pending event of the location (the second's read back), the second then finds none. Services emit once per
    change, so that is rare; Django's public `on_commit` keeps the bookkeeping (a rolled-back savepoint drops its
    relay, and an event it undid is not among the rows a relay takes)."""
    # Named like the function it calls: a robust on_commit logs a failure by the callback's __qualname__, which a
    # bare partial lacks (the AttributeError then escaped the committed transaction as a 500).
    relay = update_wrapper(partial(events_relay, location_id=location_id, written=list(written)), events_relay)
    transaction.on_commit(relay, robust=True)


def _give(events: list[Event]) -> None:
    """Give one location's events to every handler."""
    for handler in list(_handlers.values()):
        handler(events)


def _contiguous(events: list[Event]) -> list[Event]:
    """The events up to the first gap in their seqs (an event still being handed over by another relay)."""
    for count, event in enumerate(events):
        if event.seq != events[0].seq + count:
            return events[:count]
    return events


def _published(events: list[Event]) -> None:
    if events:
        Event.objects.filter(pk__in=[event.pk for event in events]).update(published_at=timezone.now())


def events_relay(*, limit: int = RELAY_BATCH, location_id: int | None = None, written: list[Event] = ()) -> int:
    """Publish up to `limit` unpublished events; returns how many were handed over. `written`: events of
    `location_id` already in memory, as `events_emit` wrote them.

    The sweep (no `location_id`) takes rows with FOR UPDATE SKIP LOCKED, so concurrent relays never hand one
    event over twice; it skips a location whose earlier events another relay holds, and a location whose
    handler fails (its savepoint undoes the handlers' writes) does not hold the others up.
    """
    if location_id is not None:
        return _location_relay(location_id, limit, written)
    pending = Event.objects.filter(published_at__isnull=True).order_by("location_id", "seq")
    with transaction.atomic():
        handed = []
        for location, group in groupby(pending.select_for_update(skip_locked=True)[:limit], attrgetter("location_id")):
            events = _contiguous(list(group))
            if _earlier_pending(events[0]):
                continue  # another relay holds this location's earlier events; these follow on a later run
            try:
                with transaction.atomic():
                    _give(events)
            except Exception:
                logger.exception("an event handler failed on location %s's events; they stay unpublished", location)
            else:
                handed += events
        _published(handed)
    return len(handed)


def _location_relay(location_id: int, limit: int, written: list[Event]) -> int:
    """The after-commit relay of one location. It waits for rows another relay holds instead of skipping them,
    so a busy location still publishes at once, in order: its first row is the location's earliest unpublished
    event (seqs commit in order, all before this relay's own commit). A handler's failure undoes the whole
    relay, the mark and the handlers' writes (one location: no savepoint needed)."""
    try:
        with transaction.atomic():
            taken = _unpublished_take(location_id, limit)
            # By id, the later written winning: SQLite gives a rolled-back savepoint's ids to the next inserts.
            known = {event.pk: event for event in written}
            events = [known[pk] for pk in taken if pk in known]
            if len(events) < len(taken):  # another transaction's, whose own relay has not run yet
                events += Event.objects.filter(pk__in=set(taken) - set(known))
            events.sort(key=attrgetter("seq"))
            if events:
                _give(events)
    except Exception:
        logger.exception("relaying location %s's events failed; they stay unpublished", location_id)
        return 0
    if len(taken) >= limit and not known.keys() <= set(taken):
        _backlog_met(location_id, written)
    return len(events)


def _backlog_met(location_id: int, written: list[Event]) -> None:
    """A full batch of older events was ahead of this transaction's: give its events to the `ahead` handlers now
    (those still pending: a rolled-back savepoint's are not), and kick the sweeper to drain the rest in order."""
    known = {event.pk: event for event in written}
    pending = Event.objects.filter(pk__in=known, published_at__isnull=True).values_list("pk", flat=True)
    events = sorted((known[pk] for pk in pending), key=attrgetter("seq"))
    for name in [name for name in _handlers if name in _ahead]:
        try:
            if events:
                _handlers[name](events)
        except Exception:
            logger.exception("handler %s failed on location %s's events given ahead of a backlog", name, location_id)
    if _backlog_kick is not None:
        _backlog_kick()


def _unpublished_take(location_id: int, limit: int) -> list[int]:
    """Mark the location's earliest `limit` unpublished events published and return their ids: one statement,
    where reading the rows FOR UPDATE and marking them would take two."""
    table = connection.ops.quote_name(Event._meta.db_table)
    # nosec B608 (the table name is the model's own, quoted; the values are parameters)
    sql = (
        f"UPDATE {table} SET published_at = %s WHERE id IN (SELECT id FROM {table} "  # noqa: S608 (see above)
        f"WHERE location_id = %s AND published_at IS NULL ORDER BY seq LIMIT %s{_for_update()}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), location_id, limit])
        return [pk for (pk,) in cursor.fetchall()]


def events_drain(*, batch: int = RELAY_BATCH, max_seconds: float | None = None) -> int:
    """Sweep in batches until a batch hands nothing over (nothing left, or only a failing handler's events or ones
    another relay holds), or `max_seconds` have passed; returns how many were handed over."""
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    total = 0
    while True:
        handed = events_relay(limit=batch)
        total += handed
        if not handed or (deadline is not None and time.monotonic() >= deadline):
            return total


def _earlier_pending(event: Event) -> bool:
    return Event.objects.filter(location_id=event.location_id, published_at__isnull=True, seq__lt=event.seq).exists()


def events_since(*, location_id: int, seq: int, limit: int) -> list[Event]:
    """Committed events of a location after `seq`, oldest first (for a consumer that missed some)."""
    return list(Event.objects.filter(location_id=location_id, seq__gt=seq).order_by("seq")[:limit])


def events_purge(older_than: timedelta = timedelta(days=2)) -> int:
    """Delete published events created before `older_than` ago (never less than 24 h); returns how many."""
    if older_than < MIN_RETENTION:
        raise ValueError(f"events are kept at least {MIN_RETENTION}")
    cutoff = timezone.now() - older_than
    deleted, _ = Event.objects.filter(created_at__lt=cutoff, published_at__isnull=False).delete()
    return deleted
