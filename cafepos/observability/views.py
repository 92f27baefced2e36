"""GET /metrics for Prometheus: with METRICS_TOKEN a bearer token is required, otherwise the request
(and every proxy hop in X-Forwarded-For) must come from a loopback or private address."""

import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .metrics import exposition

logger = logging.getLogger(__name__)


@require_GET
def metrics(request):
    if settings.METRICS_TOKEN:
        expected = f"Bearer {settings.METRICS_TOKEN}".encode()
        if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected):
            logger.warning("metrics scrape refused: Authorization does not carry METRICS_TOKEN")
            return HttpResponse(status=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    elif not all(_internal(address) for address in _client_addresses(request)):
        logger.warning(
            "metrics scrape refused: not from a private address", extra={"remote": _client_addresses(request)}
        )
        return HttpResponse(status=403)
    body, content_type = exposition(multiproc_dir=settings.PROMETHEUS_MULTIPROC_DIR)
    return HttpResponse(body, content_type=content_type)


def _client_addresses(request) -> list[str]:
    """The peer and every hop a proxy reported; a proxy appends the real client, so spoofing cannot hide it."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    return [request.META.get("REMOTE_ADDR", ""), *(hop.strip() for hop in forwarded.split(",") if hop.strip())]


def _internal(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private
