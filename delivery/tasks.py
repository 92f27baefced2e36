"""Celery tasks of delivery: one webhook or email attempt per task, and the sweeper that re-queues due rows.

A task makes one attempt (`webhooks.webhook_attempt`, `emails.email_attempt`), which commits before it returns,
then queues what the attempt asks for: the same row again after its backoff, and any notice it wrote. The rows
hold the state, so running a task twice is harmless. Database hiccups are retried by Celery with exponential
backoff and jitter.

The tasks keep the names they had in `realtime`, so messages queued before a deploy still run and the routes
(settings `CELERY_TASK_ROUTES`) and the beat schedule name them unchanged.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from cafepos.celery import RELIABLE

from .emails import email_attempt
from .sweeper import deliveries_due_claim
from .webhooks import webhook_attempt

TIME_LIMITS = {"soft_time_limit": 60, "time_limit": 90}  # webhook_limits.SLOT_TTL follows the hard limit


@shared_task(name="realtime.tasks.email_send", ignore_result=True, **TIME_LIMITS, **RELIABLE)
def email_send(email_id: int) -> str:
    attempt = email_attempt(email_id=email_id)
    if attempt.retry_in is not None:
        email_send.apply_async((email_id,), countdown=attempt.retry_in)
    return attempt.outcome


@shared_task(name="realtime.tasks.webhook_deliver", ignore_result=True, **TIME_LIMITS, **RELIABLE)
def webhook_deliver(delivery_id: int) -> str:
    attempt = webhook_attempt(delivery_id=delivery_id)
    # A retry later than half the broker's visibility timeout is left to the sweeper.
    if attempt.retry_in is not None and attempt.retry_in < settings.CELERY_VISIBILITY_TIMEOUT / 2:
        webhook_deliver.apply_async((delivery_id,), countdown=attempt.retry_in)
    for email_id in attempt.emails:
        email_send.delay(email_id)
    return attempt.outcome


@shared_task(name="realtime.tasks.deliveries_sweep", ignore_result=True, **TIME_LIMITS, **RELIABLE)
def deliveries_sweep(stale_after_seconds: int = 300) -> dict:
    """Beat: queue again the due webhooks and emails whose task was lost (or never queued); how many of each."""
    claimed = deliveries_due_claim(stale_after=timedelta(seconds=stale_after_seconds))
    for task, name in ((webhook_deliver, "webhooks"), (email_send, "emails")):
        for pk in claimed[name]:
            task.delay(pk)
    return {name: len(ids) for name, ids in claimed.items()}
