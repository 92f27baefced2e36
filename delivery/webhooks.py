"""Signed webhooks: each matching outbox event becomes one delivery row per endpoint, POSTed by a Celery task.

This module writes the rows and makes one attempt at a row; it queues nothing (`services` queues the rows after
commit, `tasks.webhook_deliver` the retries an attempt asks for). An attempt locks its row for the length of the
POST (FOR UPDATE SKIP LOCKED): a duplicate task skips it, and if the worker dies the database drops the lock with
its connection, so the broker's redelivery or the sweeper delivers it again. Receivers deduplicate on the
payload's `id`, stable across every attempt (at least once).
"""

import hashlib
import hmac
import http.client
import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.models import Location
from cafepos import netguard
from cafepos.models import Event
from cafepos.observability import metrics
from cafepos.versioned_cache import stale_now_and_after_commit, version_bump, versioned

from . import webhook_limits
from .emails import email_write
from .models import Attempt, DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .selectors import owner_emails

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-CafePOS-Signature"
EVENT_TYPES = (
    "order.created",
    "order.updated",
    "order.status_changed",
    "order.paid",
    "order.refunded",
    "ticket.created",
    "ticket.updated",
    "menu.item_sold_out",
    "menu.item_back_in_stock",
    "menu.updated",
)


def event_id(event: Event) -> str:
    """The id receivers deduplicate on: the event's place in its location's outbox, never reused."""
    return f"evt_{event.location_id}_{event.seq}"


def webhook_body(event: Event) -> str:
    payload = {
        "id": event_id(event),
        "type": event.type,
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "location_id": event.location_id,
        "data": event.data,
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


def webhook_signature(*, secret: str, body: str, timestamp: int) -> str:
    """`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, as sent in X-CafePOS-Signature."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _endpoint_keys(location_id: int) -> tuple[str, str]:
    return f"webhooks:{location_id}:version", f"webhooks:{location_id}"


def _endpoints_invalidate(location_id: int) -> None:
    version_bump(_endpoint_keys(location_id)[0], what=f"webhook endpoints of location {location_id}")


def endpoints_changed(location_id: int) -> None:
    """Make the location's cached endpoints stale at once and again after commit: `delivery.signals` calls it for
    every saved or deleted endpoint, and an UPDATE of `is_active` must too."""
    stale_now_and_after_commit(partial(_endpoints_invalidate, location_id))


def active_endpoints(location_id: int) -> list[WebhookEndpoint]:
    """The location's active endpoints, with only what the relay reads (id, event types): cached, since every
    relay of the location asks and they seldom change."""

    def read() -> list[WebhookEndpoint]:
        return list(WebhookEndpoint.objects.filter(location_id=location_id, is_active=True).only("id", "event_types"))

    return versioned(*_endpoint_keys(location_id), read, what="webhook endpoints")


def webhook_deliveries_write(events: list[Event]) -> list[int]:
    """A delivery row per event (of one location) and active endpoint that wants its type; returns the pending
    rows' ids, to queue once the rows commit."""
    endpoints = active_endpoints(events[0].location_id)
    deliveries, now = [], timezone.now()
    for event in events:
        wanting = [endpoint for endpoint in endpoints if endpoint.wants(event.type)]
        if wanting:
            body = webhook_body(event)
            deliveries += [
                WebhookDelivery(
                    endpoint=endpoint,
                    event_id=event_id(event),
                    event_type=event.type,
                    location_id=event.location_id,
                    body=body,
                    enqueued_at=now,
                )
                for endpoint in wanting
            ]
    if not deliveries:
        return []
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)  # the relay may hand events over again
    event_ids = {delivery.event_id for delivery in deliveries}
    pending = WebhookDelivery.objects.filter(
        event_id__in=event_ids, endpoint__in=endpoints, status=DeliveryStatus.PENDING
    )
    return list(pending.values_list("pk", flat=True))


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    error: str
    excerpt: str
    answered: bool = False  # no status code but not the endpoint's silence (refused by our allow-list)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> PostResult:
    """One POST to the endpoint's checked address (cafepos.netguard); a 3xx is a failure, never followed."""
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CafePOS-Webhooks/1",
        "X-CafePOS-Event": delivery.event_type,
        "X-CafePOS-Event-Id": delivery.event_id,
        SIGNATURE_HEADER: webhook_signature(secret=endpoint.secret, body=delivery.body, timestamp=int(time.time())),
    }
    try:
        target = netguard.check_url(endpoint.url, kind=netguard.WEBHOOK)
    except netguard.Refused as refused:
        return PostResult(None, f"Refused: {refused}", "", answered=True)  # our refusal, not the endpoint's fault
    connection = netguard.PinnedConnection(target, timeout=settings.WEBHOOK_TIMEOUT)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(500).decode(errors="replace")
        error = "" if 200 <= response.status < 300 else f"HTTP {response.status}"
        return PostResult(response.status, error, excerpt)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return PostResult(None, str(error) or type(error).__name__, "")
    finally:
        connection.close()


def webhook_attempt(*, delivery_id: int) -> Attempt:
    """Make one attempt at a delivery if it is due: what happened, when to try again, the notices it wrote."""
    now = timezone.now()
    notices = ()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return Attempt("busy")  # another worker holds it (or it is gone)
        if delivery.status != DeliveryStatus.PENDING:
            return Attempt("done")
        if delivery.next_attempt_at > now:
            return Attempt("not_due")
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            return Attempt("endpoint_disabled")
        if webhook_limits.breaker_open(endpoint.pk):
            return _postpone(delivery, settings.WEBHOOK_BREAKER_COOLDOWN, "breaker_open")
        with webhook_limits.in_flight_slot(endpoint.pk) as slot:
            if not slot:
                return _postpone(delivery, settings.WEBHOOK_TIMEOUT, "throttled")
            delivery.attempts += 1
            result = _post(endpoint, delivery)
        finished = timezone.now()
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=now,
            duration_ms=int((finished - now).total_seconds() * 1000),
            status_code=result.status_code,
            succeeded=result.ok,
            error=result.error,
            response_excerpt=result.excerpt,
        )
        delay = None
        if result.ok:
            delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, finished, ""
            WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
            webhook_limits.breaker_success(endpoint.pk)
        else:
            if result.status_code is None and not result.answered:
                webhook_limits.breaker_failure(endpoint.pk)
            delay = delivery.retry_later(now=finished, error=result.error)
            notices = _endpoint_failed(endpoint, now=finished)
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at", "last_error"])
    metrics.webhook_delivered(succeeded=result.ok)
    outcome = "delivered" if result.ok else ("failed" if delivery.status == DeliveryStatus.FAILED else "retry")
    return Attempt(outcome, retry_in=delay, emails=notices)


def _postpone(delivery: WebhookDelivery, seconds: float, why: str) -> Attempt:
    """Not an attempt (the endpoint is busy or its breaker open): the same delivery, due again later."""
    delay = seconds * random.uniform(1.0, 1.5)  # noqa: S311 (jitter, not security)
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    delivery.enqueued_at = timezone.now()
    delivery.save(update_fields=["next_attempt_at", "enqueued_at"])
    return Attempt(why, retry_in=delay)


def _endpoint_failed(endpoint: WebhookEndpoint, *, now) -> tuple[int, ...]:
    """Note when an endpoint started failing; after WEBHOOK_RETRY_FOR of failures, disable it and write a notice to
    each of its owners (returns the new notices' ids, to send once the attempt commits)."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    cutoff = now - timedelta(seconds=settings.WEBHOOK_RETRY_FOR)
    reason = "Every delivery failed for 24 hours."
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True, failing_since__lte=cutoff).update(
        is_active=False, disabled_at=now, disabled_reason=reason
    )
    if not disabled:
        return ()
    endpoints_changed(endpoint.location_id)
    logger.warning("webhook endpoint %s disabled after failing since %s", endpoint.pk, endpoint.failing_since)
    location = Location.objects.select_related("organization").get(pk=endpoint.location_id)
    recipients = set(owner_emails(location)) | ({endpoint.created_by.email} if endpoint.created_by_id else set())
    notices = []
    for to in sorted(recipients):
        notice, created = email_write(
            kind="WEBHOOK_DISABLED",
            to=to,
            location=location,
            subject=f"CafePOS webhook disabled: {endpoint.url}",
            body=(
                f"The webhook endpoint {endpoint.url} of {location.name} failed every delivery for 24 hours "
                "and has been disabled. Fix the receiver, then re-enable it in the back office and resend "
                "the failed deliveries."
            ),
            dedupe_key=f"webhook-disabled:{endpoint.pk}:{now.isoformat()}",
        )
        if created:
            notices.append(notice.pk)
    return tuple(notices)
