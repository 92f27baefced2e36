"""Signed webhooks: each matching outbox event becomes one delivery row per endpoint, POSTed by a Celery task.

The outbox handler only writes rows and queues tasks after commit. A task locks its row for the length of
the POST (FOR UPDATE SKIP LOCKED): a duplicate task skips it, and if the worker dies the database drops the
lock with its connection, so the broker's redelivery or the sweeper delivers it again. Receivers
deduplicate on the payload's `id`, stable across every attempt (at least once).
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.models import Location
from cafepos.models import Event
from cafepos.observability import metrics
from cafepos.versioned_cache import stale_now_and_after_commit, version_bump, versioned

from .models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

HANDLER_NAME = "realtime.webhooks"
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


def enqueue_on_commit(task, ids: list[int]) -> None:
    """Queue `task(id)` for each row once the transaction that wrote the rows commits."""
    if ids:
        transaction.on_commit(lambda: [task.delay(pk) for pk in ids], robust=True)


def _endpoint_keys(location_id: int) -> tuple[str, str]:
    return f"webhooks:{location_id}:version", f"webhooks:{location_id}"


def _endpoints_invalidate(location_id: int) -> None:
    version_bump(_endpoint_keys(location_id)[0], what=f"webhook endpoints of location {location_id}")


def endpoints_changed(location_id: int) -> None:
    """Make the location's cached endpoints stale at once and again after commit: `realtime.signals` calls it for
    every saved or deleted endpoint, and an UPDATE of `is_active` must too."""
    stale_now_and_after_commit(partial(_endpoints_invalidate, location_id))


def active_endpoints(location_id: int) -> list[WebhookEndpoint]:
    """The location's active endpoints, with only what the relay reads (id, event types): cached, since every
    relay of the location asks and they seldom change."""

    def read() -> list[WebhookEndpoint]:
        return list(WebhookEndpoint.objects.filter(location_id=location_id, is_active=True).only("id", "event_types"))

    return versioned(*_endpoint_keys(location_id), read, what="webhook endpoints")


def webhook_events_handle(events: list[Event]) -> None:
    """Outbox handler (one location's events): a delivery row per event and active endpoint that wants its type."""
    from .tasks import webhook_deliver

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
        return
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)  # the relay may hand events over again
    event_ids = {delivery.event_id for delivery in deliveries}
    pending = WebhookDelivery.objects.filter(
        event_id__in=event_ids, endpoint__in=endpoints, status=DeliveryStatus.PENDING
    )
    enqueue_on_commit(webhook_deliver, list(pending.values_list("pk", flat=True)))


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    error: str
    excerpt: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is a failure: the endpoint's URL should be the final one


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> PostResult:
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CafePOS-Webhooks/1",
        "X-CafePOS-Event": delivery.event_type,
        "X-CafePOS-Event-Id": delivery.event_id,
        SIGNATURE_HEADER: webhook_signature(secret=endpoint.secret, body=delivery.body, timestamp=int(time.time())),
    }
    request = urllib.request.Request(endpoint.url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return PostResult(response.status, "", response.read(500).decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return PostResult(error.code, f"HTTP {error.code}", error.read(500).decode(errors="replace"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        return PostResult(None, str(getattr(error, "reason", error)) or type(error).__name__, "")


def webhook_deliver(*, delivery_id: int) -> str:
    """Make one attempt at a delivery if it is due; returns what happened (for logs and tests)."""
    from .tasks import webhook_deliver as task

    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "busy"  # another worker holds it (or it is gone)
        if delivery.status != DeliveryStatus.PENDING:
            return "done"
        if delivery.next_attempt_at > now:
            return "not_due"
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            return "endpoint_disabled"
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
        if result.ok:
            delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, finished, ""
            WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
        else:
            delay = delivery.retry_later(now=finished, error=result.error)
            _endpoint_failed(endpoint, now=finished)
            if delay is not None and delay < settings.CELERY_VISIBILITY_TIMEOUT / 2:
                transaction.on_commit(lambda: task.apply_async((delivery.pk,), countdown=delay), robust=True)
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at", "last_error"])
    metrics.webhook_delivered(succeeded=result.ok)
    return "delivered" if result.ok else ("failed" if delivery.status == DeliveryStatus.FAILED else "retry")


def _endpoint_failed(endpoint: WebhookEndpoint, *, now) -> None:
    """Note when an endpoint started failing; after WEBHOOK_RETRY_FOR of failures, disable it and tell its owners."""
    from .emails import email_enqueue, owner_emails

    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    cutoff = now - timedelta(seconds=settings.WEBHOOK_RETRY_FOR)
    reason = "Every delivery failed for 24 hours."
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True, failing_since__lte=cutoff).update(
        is_active=False, disabled_at=now, disabled_reason=reason
    )
    if not disabled:
        return
    endpoints_changed(endpoint.location_id)
    logger.warning("webhook endpoint %s disabled after failing since %s", endpoint.pk, endpoint.failing_since)
    location = Location.objects.select_related("organization").get(pk=endpoint.location_id)
    recipients = set(owner_emails(location)) | ({endpoint.created_by.email} if endpoint.created_by_id else set())
    for to in sorted(recipients):
        email_enqueue(
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


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Try a delivery again now (from admin), with a fresh 24-hour retry window; its id stays the same."""
    from .models import retry_deadline
    from .tasks import webhook_deliver as task

    now = timezone.now()
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now, retry_until=retry_deadline(), enqueued_at=now
        )
        enqueue_on_commit(task, [delivery.pk])


def deliveries_requeue(*, stale_after: timedelta, limit: int = 1000) -> dict[str, int]:
    """The sweeper: queue again every pending webhook and email that is due and not queued within `stale_after`.

    Rows are the truth and the queue only a hint, so this recovers whatever a Redis restart dropped.
    """
    from .models import EmailDelivery
    from .tasks import email_send, webhook_deliver

    now = timezone.now()
    requeued = {}
    webhooks = WebhookDelivery.objects.filter(endpoint__is_active=True)
    for name, queryset, task in (
        ("webhooks", webhooks, webhook_deliver),
        ("emails", EmailDelivery.objects, email_send),
    ):
        due = queryset.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).exclude(
            enqueued_at__gt=now - stale_after
        )
        ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        queryset.filter(pk__in=ids).update(enqueued_at=now)
        for pk in ids:
            task.delay(pk)
        requeued[name] = len(ids)
    return requeued
