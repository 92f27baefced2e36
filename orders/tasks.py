"""Scheduled work on orders (Celery beat)."""

from celery import shared_task

from cafepos.celery import RELIABLE

from . import services


@shared_task(ignore_result=True, soft_time_limit=1500, time_limit=1800, **RELIABLE)
def customers_erase_expired() -> int:
    """Daily: erase customer details past their organization's retention (idempotent: erased rows are skipped)."""
    return services.customers_erase_expired()
