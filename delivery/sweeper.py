"""Which delivery rows the sweeper queues again (`tasks.deliveries_sweep`, run by beat).

Rows are the truth and the queue only a hint, so queueing again every pending row that is due and was not queued
recently recovers whatever a Redis restart dropped.
"""

from datetime import timedelta

from django.utils import timezone

from .models import DeliveryStatus, EmailDelivery, WebhookDelivery


def deliveries_due_claim(*, stale_after: timedelta, limit: int = 1000) -> dict[str, list[int]]:
    """The pending webhooks (of active endpoints) and emails that are due and not queued within `stale_after`,
    marked queued now: their ids by kind, for the caller to queue."""
    now = timezone.now()
    claimed = {}
    for name, queryset in (
        ("webhooks", WebhookDelivery.objects.filter(endpoint__is_active=True)),
        ("emails", EmailDelivery.objects.all()),
    ):
        due = queryset.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).exclude(
            enqueued_at__gt=now - stale_after
        )
        ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        queryset.filter(pk__in=ids).update(enqueued_at=now)
        claimed[name] = ids
    return claimed
