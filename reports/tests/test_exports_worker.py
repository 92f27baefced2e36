"""A long export runs on the `exports` queue of a real Celery worker, and its progress is visible."""

import csv
import datetime

import pytest

from cafepos.celery import app
from cafepos.tests.celery_worker import celery_worker_fixture, celery_worker_session_fixture  # noqa: F401
from cafepos.tests.waiting import wait_until
from orders.services import order_create
from orders.tests.factories import line
from reports.models import ExportJob
from reports.services import export_job_create

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_an_export_runs_on_the_exports_queue_and_is_downloadable(celery_worker, cafe, client, settings):
    settings.MEDIA_ROOT = celery_worker.env["MEDIA_ROOT"]  # where the worker stores the file
    for _ in range(3):
        order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.croissant)])
    today = cafe.location.business_day()
    job = export_job_create(
        user=cafe.owner,
        locations=[cafe.location],
        kind="ORDERS",
        date_from=today - datetime.timedelta(days=29),
        date_to=today,
    )

    wait_until(lambda: ExportJob.objects.get(pk=job.pk).status == "DONE", message="the export")

    job.refresh_from_db()
    assert (job.days_done, job.days_total, job.rows_written, job.progress) == (30, 30, 3, 100)
    assert app.amqp.router.route({}, "reports.tasks.export_job_run")["queue"].name == "exports"
    assert "reports.tasks.export_job_run" in celery_worker.log()
    client.force_login(cafe.owner)
    download = client.get(client.get(f"/backoffice/reports/exports/{job.pk}/").json()["download"])
    rows = list(csv.DictReader(b"".join(download.streaming_content).decode().splitlines()))
    assert [row["number"] for row in rows] == ["1", "2", "3"]
