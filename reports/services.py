"""Writes of the reports app: CSV export jobs, and the owners' daily summary email.

An export job is a row; its task claims it (QUEUED, or RUNNING with a stale heartbeat, so a task whose
worker was killed is taken over), writes the CSV day by day with its progress, and stores the file once at
the end: running it twice leaves one file and one DONE job.
"""

import datetime
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Location
from cafepos import csvsafe
from cafepos.exceptions import ApplicationError
from delivery.models import EmailDelivery
from delivery.selectors import owner_emails
from delivery.services import email_enqueue
from orders.models import Order, OrderLine

from .models import ExportJob
from .routers import replica_reads, reports_database
from .selectors import report_scope, sales_summary

MAX_EXPORT_DAYS = 3660
STALE_AFTER = timedelta(minutes=2)  # a running export touches its heartbeat after every day it writes

ORDER_FIELDS = [
    ("business_day", "business_day"),
    ("location__name", "location"),
    ("number", "number"),
    ("receipt_number", "receipt_number"),
    ("type", "type"),
    ("source", "source"),
    ("status", "status"),
    ("payment_status", "payment_status"),
    ("staff__email", "staff"),
    ("subtotal", "gross"),
    ("discount_total", "discounts"),
    ("tax_total", "tax"),
    ("tip_total", "tips"),
    ("total", "total"),
    ("paid_total", "paid"),
    ("refunded_total", "refunded"),
    ("created_at", "created_at"),
]
LINE_FIELDS = [
    ("order__business_day", "business_day"),
    ("order__location__name", "location"),
    ("order__number", "order_number"),
    ("name", "item"),
    ("quantity", "quantity"),
    ("unit_price", "unit_price"),
    ("tax_rate", "tax_rate"),
    ("line_total", "line_total"),
    ("station", "station"),
    ("voided", "voided"),
]


def export_job_create(*, user, locations: list[Location], kind: str, date_from, date_to) -> ExportJob:
    """Queue a CSV export of the orders (or lines) of `locations` over a range of business days."""
    from .tasks import export_job_run

    if kind not in ExportJob.Kind.values:
        message = f"The export is one of {', '.join(ExportJob.Kind.values)}."
        raise ApplicationError("reports.invalid_export", message, {"kind": [message]})
    scope = report_scope(locations=locations, date_from=date_from, date_to=date_to, max_days=MAX_EXPORT_DAYS)
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user, kind=kind, date_from=date_from, date_to=date_to, days_total=scope.days
        )
        job.locations.set(scope.locations)
        export_job_run.delay_on_commit(job.pk)
    return job


def _claim(job_id: int) -> ExportJob | None:
    now = timezone.now()
    claimable = Q(status=ExportJob.Status.QUEUED) | Q(
        status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    claimed = ExportJob.objects.filter(claimable, pk=job_id).update(
        status=ExportJob.Status.RUNNING, heartbeat_at=now, days_done=0, rows_written=0
    )
    return ExportJob.objects.get(pk=job_id) if claimed else None


def _day_rows(job: ExportJob, location_ids: list[int], day: datetime.date):
    if job.kind == ExportJob.Kind.LINES:
        rows = OrderLine.objects.filter(order__location_id__in=location_ids, order__business_day=day)
        return rows.order_by("order__location_id", "order__number", "pk").values_list(*(f for f, _ in LINE_FIELDS))
    rows = Order.objects.filter(location_id__in=location_ids, business_day=day)
    return rows.order_by("location_id", "number").values_list(*(f for f, _ in ORDER_FIELDS))


def export_job_run(*, job_id: int) -> str:
    """Write the job's CSV, reporting progress after each business day; returns what happened."""
    job = _claim(job_id)
    if job is None:
        return "skipped"  # done, failed, or running in a live task
    location_ids = list(job.locations.values_list("pk", flat=True))
    headings = [heading for _, heading in (LINE_FIELDS if job.kind == ExportJob.Kind.LINES else ORDER_FIELDS)]
    written = 0
    with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as out:
        writer = csvsafe.writer(out)
        writer.writerow(headings)
        with replica_reads():
            day = job.date_from
            while day <= job.date_to:
                for row in _day_rows(job, location_ids, day).using(reports_database()).iterator(chunk_size=2000):
                    writer.writerow(["" if value is None else value for value in row])
                    written += 1
                ExportJob.objects.filter(pk=job.pk).update(
                    days_done=F("days_done") + 1, rows_written=written, heartbeat_at=timezone.now()
                )
                day += timedelta(days=1)
        out.seek(0)
        job.file.save(f"export-{job.pk}-{job.kind.lower()}-{job.date_from}-{job.date_to}.csv", File(out), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, status=ExportJob.Status.DONE, rows_written=written, finished_at=timezone.now()
    )
    return "done"


def export_job_fail(*, job_id: int, error: str) -> None:
    ExportJob.objects.filter(pk=job_id).exclude(status=ExportJob.Status.DONE).update(
        status=ExportJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def export_jobs_requeue() -> int:
    """Jobs whose task was lost (a Redis restart) or whose worker died: queue them again."""
    from .tasks import export_job_run

    stale = timezone.now() - STALE_AFTER
    lost = ExportJob.objects.filter(
        Q(status=ExportJob.Status.QUEUED, created_at__lt=stale)
        | Q(status=ExportJob.Status.RUNNING, heartbeat_at__lt=stale)
    )
    ids = list(lost.values_list("pk", flat=True)[:100])
    for pk in ids:
        export_job_run.delay(pk)
    return len(ids)


def _summary_text(location: Location, day: datetime.date, summary: dict) -> str:
    currency = location.currency
    rows = [
        f"{location.name} — business day {day.isoformat()}",
        "",
        f"Orders:            {summary['orders']}",
        f"Gross sales:       {summary['gross']} {currency}",
        f"Discounts:         {summary['discounts']} {currency}",
        f"Net sales:         {summary['net']} {currency}",
        f"Tax:               {summary['tax']} {currency}",
        f"Tips:              {summary['tips']} {currency}",
        f"Refunds:           {summary['refunds']} {currency} ({summary['refund_count']})",
        f"Voided items:      {summary['voids']} {currency} ({summary['void_count']})",
        f"Average ticket:    {summary['average_ticket']} {currency}",
    ]
    rows += [f"Tax {row['rate']}%:        {row['tax']} {currency}" for row in summary["tax_by_rate"]]
    return "\n".join(rows)


def daily_summaries_send(*, now: datetime.datetime | None = None) -> int:
    """Email each location's owners the summary of the business day that ended at its last cutoff (once)."""
    now = now or timezone.now()
    queued = 0
    for location in Location.objects.select_related("organization"):
        day = location.business_day(now) - timedelta(days=1)
        keys = {to: f"daily-summary:{location.pk}:{day.isoformat()}:{to}" for to in owner_emails(location)}
        if EmailDelivery.objects.filter(dedupe_key__in=keys.values()).count() == len(keys):
            continue  # sent already (or nobody to send it to)
        summary = sales_summary(report_scope(locations=[location], date_from=day, date_to=day))
        body = _summary_text(location, day, summary)
        for to, key in keys.items():
            email_enqueue(
                kind="DAILY_SUMMARY",
                to=to,
                location=location,
                subject=f"{location.name}: {summary['net']} {location.currency} net on {day.isoformat()}",
                body=body,
                dedupe_key=key,
            )
            queued += 1
    return queued
