"""Celery tasks of event delivery: one webhook or email per task, and the sweeper that re-queues due rows.

Tasks only call `realtime.webhooks` / `realtime.emails`; the rows hold the state, so running a task twice
is harmless. Database hiccups are retried by Celery with exponential backoff and jitter.
"""

from datetime import timedelta

from celery import shared_task

from cafepos.celery import RELIABLE

from . import emails, webhooks


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90, **RELIABLE)
def webhook_deliver(delivery_id: int) -> str:
    return webhooks.webhook_deliver(delivery_id=delivery_id)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90, **RELIABLE)
def email_send(email_id: int) -> str:
    return emails.email_deliver(email_id=email_id)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90, **RELIABLE)
def deliveries_sweep(stale_after_seconds: int = 300) -> dict:
    """Beat: queue again the due webhooks and emails whose task was lost (or never queued)."""
    return webhooks.deliveries_requeue(stale_after=timedelta(seconds=stale_after_seconds))
