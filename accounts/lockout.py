"""The one lockout for every secret a person types: passwords (admin, pairing, API tokens) and PINs.

An attempt is counted *before* the secret is checked (`attempt_begin`), with one atomic operation per counter, so
however many requests race, at most `maximum` secrets are checked per counter and window; a right secret then
gives its reservation back (`attempt_succeeded`). On Redis the count and its expiry are one Lua script (no
add/incr/delete race, no "key not found"); on any other cache a process lock guards a read and a write, which is
atomic for the one process a local cache serves. A counter at its maximum is the lockout: the right secret is
refused too until its window ends (`Retry-After`). If Redis does not answer, sign-in fails closed with a 503
(`auth.unavailable`): no secret is checked uncounted.
"""

import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from cafepos.exceptions import ApplicationError

logger = logging.getLogger(__name__)

# KEYS[i]: counters; ARGV[i]: their windows in seconds. Returns each count and its milliseconds left.
_INCR_SCRIPT = """
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  out[#out + 1] = count
  out[#out + 1] = redis.call('PTTL', key)
end
return out
"""
_DECR_SCRIPT = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0"
_local_lock = threading.Lock()


@dataclass(frozen=True)
class Counter:
    """Attempts under one `key` (e.g. an email and client address): at most `maximum` per `seconds`."""

    key: str
    maximum: int
    seconds: int


@dataclass(frozen=True)
class Locked:
    counter: Counter
    retry_after: int


@dataclass(frozen=True)
class Attempt:
    """One counted attempt: each counter's count including it; `locked` if the secret must not be checked."""

    counters: list[Counter]
    counts: list[int]
    locked: Locked | None

    def tries_left(self, counter: Counter) -> int:
        return max(0, counter.maximum - self.counts[self.counters.index(counter)])


def attempt_begin(counters: list[Counter]) -> Attempt:
    """Count one attempt on every counter (atomically), before the secret is checked."""
    counts = _incr(counters)
    locked = next(
        (
            Locked(counter, max(1, math.ceil(seconds_left)))
            for counter, (count, seconds_left) in zip(counters, counts, strict=True)
            if count > counter.maximum
        ),
        None,
    )
    return Attempt(counters, [count for count, _ in counts], locked)


def attempt_failed(attempt: Attempt) -> Locked | None:
    """After a wrong secret: the counter this failure filled, if any; its lockout lasts a whole window from now."""
    full = [c for c, count in zip(attempt.counters, attempt.counts, strict=True) if count >= c.maximum]
    for counter in full:
        _restart_window(counter)
    return Locked(full[0], full[0].seconds) if full else None


def attempt_succeeded(*, reset: list[Counter], release: list[Counter] = ()) -> None:
    """After a right secret: `reset` counters start again; `release` ones give back this attempt's count."""
    counters_clear([counter.key for counter in reset])
    for counter in release:
        _decr(counter.key)


def counters_clear(keys: list[str]) -> None:
    if keys:
        _call(cache.delete_many, keys)


def unavailable_error() -> ApplicationError:
    return ApplicationError(
        "auth.unavailable", _("Sign-in is unavailable for a moment. Try again."), status=503, retry_after=5
    )


# Storage ----------------------------------------------------------------------------------------------


def _redis():
    if not settings.REDIS_URL:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _call(operation, *args):
    """A cache operation; a cache that does not answer becomes a 503, never a 500 or an unchecked secret."""
    try:
        return operation(*args)
    except Exception:
        logger.warning("Sign-in lockout: the cache did not answer", exc_info=True)
        raise unavailable_error() from None


def _incr(counters: list[Counter]) -> list[tuple[int, float]]:
    client = _redis()
    if client is not None:
        keys = [cache.make_key(counter.key) for counter in counters]
        flat = _call(client.eval, _INCR_SCRIPT, len(keys), *keys, *[counter.seconds for counter in counters])
        return [(int(flat[i]), int(flat[i + 1]) / 1000) for i in range(0, len(flat), 2)]
    with _local_lock:
        now, results = time.time(), []
        for counter in counters:
            count, expires_at = cache.get(counter.key) or (0, now + counter.seconds)
            cache.set(counter.key, (count + 1, expires_at), timeout=max(1, math.ceil(expires_at - now)))
            results.append((count + 1, expires_at - now))
        return results


def _restart_window(counter: Counter) -> None:
    client = _redis()
    if client is not None:
        _call(client.expire, cache.make_key(counter.key), counter.seconds)
        return
    with _local_lock:
        count = (cache.get(counter.key) or (0, 0))[0]
        cache.set(counter.key, (count, time.time() + counter.seconds), timeout=counter.seconds)


def _decr(key: str) -> None:
    client = _redis()
    if client is not None:
        _call(client.eval, _DECR_SCRIPT, 1, cache.make_key(key))
        return
    with _local_lock:
        entry = cache.get(key)
        if entry:
            cache.set(key, (max(0, entry[0] - 1), entry[1]), timeout=max(1, math.ceil(entry[1] - time.time())))
