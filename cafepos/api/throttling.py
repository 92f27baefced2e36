"""Request limits: RATE_LIMIT_MAX_REQUESTS per RATE_LIMIT_WINDOW (ms) per caller, shared by every process.

The caller is the principal (`user:5`, `terminal:3`, `api_key:9`) once authenticated, else the client
address. Windows are fixed and aligned to the clock, so every process agrees on the current window from its
key alone: `INCR` + `PEXPIRE` in one pipeline (no MULTI: every request sets the expiry again), or the cache's
locmem when REDIS_URL is unset. If Redis is down, requests are let through and a warning is logged (at most
once a minute per process).

`ApiRateThrottle` counts DRF requests (a JWT's already while it authenticates, as `user:<id>` in the round trip
that reads the caller's cached access: `record_and_read`; so a valid token refused after that, e.g. of a
deactivated user, counts against that user rather than the address); the exception handler counts those
refused before DRF's throttle ran (failed authentication, refused permission); `RateLimitMiddleware` counts
anything else under /api/ and adds `X-RateLimit-Limit`, `-Remaining` and `-Reset` (seconds) to every API response.
"""

import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from cafepos.exceptions import ApplicationError

from . import API_PREFIX
from .drf_request import django_request, request_view

logger = logging.getLogger("cafepos.api")
REDIS_DOWN_LOG_INTERVAL = 60.0
_last_redis_warning = 0.0


@dataclass(frozen=True)
class Usage:
    limit: int
    count: int
    reset: int  # seconds until the window resets

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - self.count)),
            "X-RateLimit-Reset": str(self.reset),
        }


def client_ip(request) -> str:
    """The client address (REST_FRAMEWORK NUM_PROXIES says how many proxies' X-Forwarded-For to trust)."""
    return BaseThrottle().get_ident(request) or "unknown"


def count_request(ident: str) -> Usage:
    return _count(ident, read=())[0]


def _count(ident: str, *, read) -> tuple[Usage, dict, Exception | None]:
    """The usage after counting one request of `ident`, the cache entries `read` (fetched in the same round trip),
    and the cache's error if it did not answer (then the request is let through)."""
    window_ms = max(1, settings.RATE_LIMIT_WINDOW)
    now_ms = int(time.time() * 1000)
    reset = max(1, math.ceil((window_ms - now_ms % window_ms) / 1000))
    key = f"ratelimit:{ident}:{now_ms // window_ms}"
    error = None
    try:
        if settings.REDIS_URL:
            count, values = _incr_redis(key, window_ms, read)
        else:
            count, values = _incr_cache(key, window_ms), cache.get_many(read)
    except Exception as caught:  # Redis unreachable or failing: fail open rather than refuse every request
        _warn_redis_down()
        count, values, error = 0, {}, caught
    return Usage(limit=settings.RATE_LIMIT_MAX_REQUESTS, count=count, reset=reset), values, error


def _incr_redis(key: str, window_ms: int, read) -> tuple[int, dict]:
    from django_redis import get_redis_connection

    full_key = cache.make_key(key)  # the cache's prefix and version, so its key-space tools see it too
    pipe = get_redis_connection("default").pipeline(transaction=False)
    pipe.incr(full_key)
    pipe.pexpire(full_key, window_ms)
    if read:
        pipe.mget([cache.make_key(name) for name in read])
    count, _, *fetched = pipe.execute()
    values = zip(read, fetched[0], strict=True) if read else ()
    return int(count), {name: cache.client.decode(value) for name, value in values if value is not None}


def _incr_cache(key: str, window_ms: int) -> int:
    cache.add(key, 0, timeout=math.ceil(window_ms / 1000) + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=math.ceil(window_ms / 1000) + 1)
        return 1


def _warn_redis_down() -> None:
    global _last_redis_warning
    now = time.monotonic()
    if now - _last_redis_warning >= REDIS_DOWN_LOG_INTERVAL:
        _last_redis_warning = now
        logger.warning("Rate limiting is off: Redis did not answer", exc_info=True)


def record(request, ident: str) -> Usage:
    """Count one request and remember its usage on the Django request (once per request)."""
    usage = getattr(django_request(request), "rate_limit_usage", None)
    if usage is None:
        usage = count_request(ident)
        django_request(request).rate_limit_usage = usage
    return usage


def record_and_read(request, ident: str, keys) -> dict:
    """`record` a request, and `cache.get_many(keys)` in the same Redis round trip (authentication reads the
    caller's cached access so). Raises the cache's error when Redis did not answer: the request is let through
    uncounted, as by `record`.

    The round trip also fetches the keys the view names in `prefetch_cache_keys(request, ident)` (what it will
    most likely read), kept on the request as `cache_prefetched`.
    """
    prefetch = getattr(request_view(request), "prefetch_cache_keys", None)
    usage, values, error = _count(ident, read=[*keys, *(prefetch(request, ident) if prefetch else ())])
    wrapped = django_request(request)
    wrapped.rate_limit_usage = usage
    wrapped.cache_prefetched = values
    if error is not None:
        raise error
    return values


def principal_ident(request) -> str:
    """`request.auth.principal_key` once a DRF request is authenticated, else the client address."""
    try:
        key = getattr(request.auth, "principal_key", None)
    except Exception:  # authentication itself failed in an unexpected way: fall back to the address
        key = None
    return key or f"ip:{client_ip(request)}"


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        self.usage = record(request, principal_ident(request))
        return not self.usage.exceeded

    def wait(self) -> int:
        return self.usage.reset


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        already_counted = getattr(request, "rate_limit_usage", None) is not None
        usage = record(request, f"ip:{client_ip(request)}")
        if usage.exceeded and not already_counted:
            error = ApplicationError("rate_limited", _("Too many requests: wait for the window to reset."))
            response = JsonResponse(error.as_dict(), status=429, headers={"Retry-After": str(usage.reset)})
        for name, value in usage.headers().items():
            response[name] = value
        return response
