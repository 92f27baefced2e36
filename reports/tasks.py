"""Celery tasks of the reports app: CSV exports (queue `exports`), their sweeper, the daily summary and roll-ups."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from cafepos.celery import RELIABLE

from . import exports, rollups, summaries


@shared_task(
    ignore_result=True,
    time_limit=settings.REPORT_EXPORT_TIME_LIMIT,
    soft_time_limit=settings.REPORT_EXPORT_TIME_LIMIT - 30,
    **RELIABLE,
)
def export_job_run(job_id: int) -> str:
    try:
        return exports.export_job_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        exports.export_job_fail(job_id=job_id, error="The export took too long; choose a shorter range.")
        return "timed_out"


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90, **RELIABLE)
def export_jobs_sweep() -> int:
    """Queue again the jobs whose task was lost or whose worker died."""
    lost = exports.export_jobs_lost()
    for job_id in lost:
        export_job_run.delay(job_id)
    return len(lost)


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300, **RELIABLE)
def daily_summaries_send() -> int:
    """Beat, every 15 minutes: each location's summary once its business day has closed."""
    return summaries.daily_summaries_send()


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300, **RELIABLE)
def rollups_refresh() -> int:
    """Beat, every minute: fold new order events into the daily roll-ups and build each location's recent days,
    so reports rarely wait for a build (a report refreshes what it reads itself; this only keeps it cheap)."""
    return rollups.rollups_refresh_all()
