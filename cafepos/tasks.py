"""Celery beat jobs of the shared core: the outbox sweeper and the retention purges."""

from celery import shared_task

from .idempotency import idempotency_keys_purge
from .outbox import events_drain, events_purge

DRAIN_SECONDS = 20  # one run's share of a backlog; beat's next run (or a kick) goes on with the rest


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def relay_events(limit: int = 500) -> int:
    """Publish events the after-commit trigger missed (a crash right after commit, a failed handler) or left for
    the sweeper (a backlog), in batches of `limit`; beat runs it, and a relay that meets a backlog kicks it."""
    return events_drain(batch=limit, max_seconds=DRAIN_SECONDS)


@shared_task(ignore_result=True)
def purge_expired() -> dict:
    """Drop idempotency keys and published events past their retention (both kept at least 24 h)."""
    return {"idempotency_keys": idempotency_keys_purge(), "events": events_purge()}
