"""Celery beat jobs of the shared core: the outbox sweeper and the retention purges."""

from celery import shared_task

from .idempotency import idempotency_keys_purge
from .outbox import events_purge, events_relay


@shared_task(ignore_result=True)
def relay_events(limit: int = 500) -> int:
    """Publish events the after-commit trigger missed (a crash right after commit, a failed handler)."""
    return events_relay(limit=limit)


@shared_task(ignore_result=True)
def purge_expired() -> dict:
    """Drop idempotency keys and published events past their retention (both kept at least 24 h)."""
    return {"idempotency_keys": idempotency_keys_purge(), "events": events_purge()}
