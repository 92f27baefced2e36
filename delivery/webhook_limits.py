"""Per-endpoint limits in the shared cache (Redis in production), so they hold across every webhook worker.

In flight: an endpoint has `WEBHOOK_ENDPOINT_MAX_IN_FLIGHT` slots, each a cache key taken with `add` (atomic
on every backend: SET NX on Redis). A slot lives as long as the task's hard time limit, so a killed worker's
slot frees itself and a running task's slot never expires under it.
Breaker: attempts in a row without an answer are counted; at `WEBHOOK_BREAKER_FAILURES` the endpoint is open
for `WEBHOOK_BREAKER_COOLDOWN` seconds. After that the next attempts probe it: one more failure opens it
again at once (the count is kept until a success).
"""

import secrets
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

SLOT_TTL = 90  # seconds: delivery.tasks.webhook_deliver's time_limit
FAILURES_TTL = 3600  # seconds: a count of failures older than an hour is forgotten


def _slot_keys(endpoint_id: int) -> list[str]:
    return [f"webhook:{endpoint_id}:slot:{n}" for n in range(settings.WEBHOOK_ENDPOINT_MAX_IN_FLIGHT)]


@contextmanager
def in_flight_slot(endpoint_id: int):
    """Yields True with a slot held for the block, or False when the endpoint has none free."""
    token = secrets.token_hex(8)
    key = next((key for key in _slot_keys(endpoint_id) if cache.add(key, token, SLOT_TTL)), None)
    try:
        yield key is not None
    finally:
        if key is not None:
            cache.delete(key)


def _failures_key(endpoint_id: int) -> str:
    return f"webhook:{endpoint_id}:failures"


def _open_key(endpoint_id: int) -> str:
    return f"webhook:{endpoint_id}:open"


def breaker_open(endpoint_id: int) -> bool:
    return cache.get(_open_key(endpoint_id)) is not None


def breaker_failure(endpoint_id: int) -> bool:
    """Count an attempt without an answer; True when it opens the breaker."""
    key = _failures_key(endpoint_id)
    cache.add(key, 0, FAILURES_TTL)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, FAILURES_TTL)
        failures = 1
    if failures < settings.WEBHOOK_BREAKER_FAILURES:
        return False
    cache.set(_open_key(endpoint_id), failures, settings.WEBHOOK_BREAKER_COOLDOWN)
    return True


def breaker_success(endpoint_id: int) -> None:
    cache.delete_many([_failures_key(endpoint_id), _open_key(endpoint_id)])
