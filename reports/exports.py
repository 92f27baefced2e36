"""CSV export jobs at work: an export job is a row; its task claims it (QUEUED, or RUNNING with a stale heartbeat,
so a task whose worker was killed is taken over), writes the CSV day by day with its progress, and stores the file
once at the end: running it twice leaves one file and one DONE job.
"""

import datetime
import tempfile
import zoneinfo
from datetime import timedelta

from django.core.files import File
from django.db.models import F, Q
from django.utils import timezone

from cafepos import csvsafe
from orders.models import Order, OrderLine

from .models import ExportJob
from .routers import replica_reads, reports_database

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
    return rows.order_by("location_id", "number").values_list(*(f for f, _ in ORDER_FIELDS), "location__time_zone")


def _csv_cells(job: ExportJob, row: tuple) -> list:
    """A row as written: an order's time on its location's clock, with its offset (05:02:00+01:00 in Paris)."""
    if job.kind == ExportJob.Kind.ORDERS:
        *row, created_at, time_zone = row
        row.append(created_at.astimezone(zoneinfo.ZoneInfo(time_zone)).isoformat())
    return ["" if value is None else value for value in row]


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
                    writer.writerow(_csv_cells(job, row))
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


def export_jobs_lost(*, limit: int = 100) -> list[int]:
    """Jobs whose task was lost (a Redis restart) or whose worker died: their ids, to queue again."""
    stale = timezone.now() - STALE_AFTER
    lost = ExportJob.objects.filter(
        Q(status=ExportJob.Status.QUEUED, created_at__lt=stale)
        | Q(status=ExportJob.Status.RUNNING, heartbeat_at__lt=stale)
    )
    return list(lost.values_list("pk", flat=True)[:limit])
