"""Scheduled work on orders (Celery beat)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=1500,
    time_limit=1800,
)
def customers_erase_expired() -> int:
    """Daily: erase customer details past their organization's retention (idempotent: erased rows are skipped)."""
    return services.customers_erase_expired()
