"""Cached values that a version token makes stale at once (a location's menu, its webhook endpoints).

A value is stored with the token it was built under. Every committed change replaces the token (`version_bump`,
called at once and again after commit), so a value built from rows read before a change commits is never served
after it. A reader takes the token and the value in one round trip (or from entries its request fetched ahead).
While Redis is unreachable, readers build from the database (logged once a minute per kind of value) and a
change's bump is logged: a value cached before it then lives at most REDIS_CACHE_TTL.
"""

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_DOWN_LOG_INTERVAL = 60.0
_last_warning: dict[str, float] = {}


def version_bump(version_key: str, *, what: str) -> None:
    """Make the values cached under `version_key` stale; `what` names them in the log if Redis does not answer."""
    try:
        cache.set(version_key, secrets.token_hex(8), timeout=None)
    except (ConnectionInterrupted, RedisError):
        # The change stands; a value cached before it lives at most REDIS_CACHE_TTL (Redis restarted empty: none is).
        logger.error("Could not invalidate the cached %s: Redis did not answer", what)


def stale_now_and_after_commit(invalidate: Callable[[], None]) -> None:
    """Run `invalidate` at once, so the rest of the writing transaction (and a test that never commits) sees the
    change, and again after commit, so a value another process built from rows read before the commit is not
    served after it."""
    invalidate()
    transaction.on_commit(invalidate)


def versioned(version_key: str, key: str, build: Callable[[], Any], *, what: str, prefetched: dict | None = None):
    """The value cached under `key` while `version_key` holds the token it was built under, else `build()` (stored).

    `prefetched`: cache entries already fetched in this request; with both keys in it, no round trip is made.
    """
    try:
        wanted = [version_key, key]
        if prefetched is not None and all(name in prefetched for name in wanted):
            cached = prefetched
        else:
            cached = cache.get_many(wanted)
        version = cached.get(version_key)
        if version is None:
            cache.add(version_key, secrets.token_hex(8), timeout=None)  # first reader; never replaces a writer's
            version = cache.get(version_key)
        stored = cached.get(key)
        if isinstance(stored, dict) and stored.get("version") == version and "value" in stored:
            return stored["value"]
        value = build()
        cache.set(key, {"version": version, "value": value}, timeout=settings.REDIS_CACHE_TTL)
        return value
    except (ConnectionInterrupted, RedisError):  # django-redis re-raises the client's own error
        if time.monotonic() - _last_warning.get(what, -CACHE_DOWN_LOG_INTERVAL) >= CACHE_DOWN_LOG_INTERVAL:
            _last_warning[what] = time.monotonic()
            logger.warning("The %s cache is unreachable: reading from the database", what)
        return build()
