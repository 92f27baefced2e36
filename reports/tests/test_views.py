"""The back-office dashboard, its CSV downloads and export jobs, as owners, managers and others see them."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Location, Role, User
from accounts.tests.factories import LocationFactory, staff
from orders.models import Order, Shift
from orders.services.shifts import shift_close
from orders.tests.factories import ShiftFactory
from reports.exports import STALE_AFTER, export_job_run, export_jobs_lost
from reports.models import ExportJob
from reports.services import export_job_create

from .conftest import cafe_at, discounted_sale

pytestmark = pytest.mark.django_db
DASHBOARD = "/backoffice/reports/"


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_item_csv_holds_the_spread_discount_and_tax_by_line(client, cafe):
    order = discounted_sale(cafe)
    client.force_login(cafe.owner)

    response = client.get(f"{DASHBOARD}csv/item/", {"from": order.business_day, "to": order.business_day})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows_of(response) == [
        ["Item", "Quantity", "Gross (EUR)", "Discounts (EUR)", "Net (EUR)", "Tax (EUR)"],
        ["Cappuccino", "2", "7.00", "0.78", "6.22", "0.57"],
        ["Croissant", "1", "2.00", "0.22", "1.78", "0.09"],
    ]


def test_the_summary_tax_and_payment_csvs(client, cafe):
    order = discounted_sale(cafe)
    client.force_login(cafe.owner)
    day = {"from": order.business_day, "to": order.business_day}

    summary = dict(rows_of(client.get(f"{DASHBOARD}csv/summary/", day))[1:])
    tax = rows_of(client.get(f"{DASHBOARD}csv/tax/", day))
    payments = rows_of(client.get(f"{DASHBOARD}csv/payment_method/", day))

    assert summary["Orders"] == "1"
    assert (summary["Gross sales (EUR)"], summary["Discounts (EUR)"], summary["Net sales (EUR)"]) == (
        "9.00", "1.00", "8.00",
    )  # fmt: skip
    assert (summary["Tax (EUR)"], summary["Tips (EUR)"], summary["Average ticket (net) (EUR)"]) == (
        "0.66",
        "0.50",
        "8.00",
    )
    assert tax == [["Rate %", "Taxable (net) (EUR)", "Tax (EUR)"], ["5.50", "1.78", "0.09"], ["10.00", "6.22", "0.57"]]
    assert payments == [
        ["Method", "Payments", "Amount (EUR)", "Tips (EUR)", "Refunds (EUR)", "Net (EUR)"],
        ["Card", "1", "8.00", "0.50", "0.00", "8.50"],
    ]


def test_the_dashboard_shows_charts_and_every_table_to_an_owner(client, cafe):
    discounted_sale(cafe)
    client.force_login(cafe.owner)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    page = response.content.decode()
    charts = json.loads(page.split('<script id="report-charts" type="application/json">')[1].split("</script>")[0])
    assert charts["items"] == {"labels": ["Cappuccino", "Croissant"], "net": [622, 178]}
    assert charts["payments"]["labels"] == ["Card"]
    assert "reports/vendor/chart.umd.min.js" in page and "cdn" not in page.lower()
    for name in ("summary", "tax", "day", "hour", "item", "category", "staff", "payment_method", "kitchen", "shifts"):
        assert reverse("reports:table-csv", args=[name]) in page


def test_the_dashboard_prints_amounts_as_the_locations_locale_writes_them(client, cafe):
    """In the reader's language (the owner chose German), as that language is written in the location's country."""
    Location.objects.filter(pk=cafe.location.pk).update(country="DE", language="de")
    User.objects.filter(pk=cafe.owner.pk).update(language="de")
    discounted_sale(cafe)
    client.force_login(cafe.owner)

    page = client.get(DASHBOARD).content.decode()

    charts = json.loads(page.split('<script id="report-charts" type="application/json">')[1].split("</script>")[0])
    assert "<span>Nettoumsatz</span><strong>8,00\xa0€</strong>" in page
    assert (
        "<td>Cappuccino</td><td>2</td><td>7,00\xa0€</td><td>0,78\xa0€</td><td>6,22\xa0€</td><td>0,57\xa0€</td>" in page
    )
    assert (charts["money"]["locale"], charts["money"]["decimal"]) == ("de_DE", ",")
    assert "cafepos/money_format.js" in page


def test_a_manager_reports_only_on_their_location(client, cafe):
    elsewhere = cafe_at(LocationFactory(organization=cafe.location.organization))
    client.force_login(cafe.manager)

    response = client.get(DASHBOARD)
    refused = client.get(DASHBOARD, {"location": elsewhere.location.pk})

    assert [location.pk for location in response.context["all_locations"]] == [cafe.location.pk]
    assert refused.status_code == 400
    assert "No such location of yours." in refused.content.decode()


def test_cashiers_and_strangers_do_not_see_reports(client, cafe):
    anonymous = client.get(DASHBOARD)
    client.force_login(cafe.cashier)
    cashier = client.get(DASHBOARD)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    assert cashier.status_code == 403


def test_the_admin_index_links_to_the_reports(client, cafe):
    client.force_login(cafe.owner)

    assert DASHBOARD in client.get("/admin/").content.decode()


def test_an_export_job_writes_every_order_of_the_range_with_its_progress(cafe, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    orders = [discounted_sale(cafe) for _ in range(3)]
    day = orders[0].business_day
    job = export_job_create(
        user=cafe.owner,
        locations=[cafe.location],
        kind="ORDERS",
        date_from=day - datetime.timedelta(days=1),
        date_to=day,
    )

    assert export_job_run(job_id=job.pk) == "done"
    assert export_job_run(job_id=job.pk) == "skipped"  # a duplicate task does nothing

    job.refresh_from_db()
    assert (job.status, job.progress, job.days_done, job.rows_written) == (ExportJob.Status.DONE, 100, 2, 3)
    with job.file.open("r") as exported:
        rows = list(csv.DictReader(exported))
    assert [row["number"] for row in rows] == ["1", "2", "3"]
    assert {(row["gross"], row["discounts"], row["total"]) for row in rows} == {("9.000", "1.000", "8.500")}


def test_the_sweep_finds_the_jobs_whose_task_was_lost_or_whose_worker_died_and_leaves_live_ones(cafe):
    day = cafe.location.business_day()
    queued_lost, running_dead, queued_fresh, running_live = (
        export_job_create(user=cafe.owner, locations=[cafe.location], kind="LINES", date_from=day, date_to=day)
        for _ in range(4)
    )  # the test's transaction never commits: no task was queued
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1)
    ExportJob.objects.filter(pk=queued_lost.pk).update(created_at=long_ago)
    ExportJob.objects.filter(pk=running_dead.pk).update(status=ExportJob.Status.RUNNING, heartbeat_at=long_ago)
    ExportJob.objects.filter(pk=running_live.pk).update(status=ExportJob.Status.RUNNING, heartbeat_at=timezone.now())

    assert sorted(export_jobs_lost()) == sorted([queued_lost.pk, running_dead.pk])


def test_the_export_status_and_download_are_the_requesters_only(client, cafe, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    discounted_sale(cafe)
    day = cafe.location.business_day()
    job = export_job_create(user=cafe.owner, locations=[cafe.location], kind="LINES", date_from=day, date_to=day)
    export_job_run(job_id=job.pk)
    client.force_login(cafe.owner)

    status = client.get(reverse("reports:export-status", args=[job.pk])).json()
    download = client.get(status["download"])
    client.force_login(cafe.manager)
    other = client.get(reverse("reports:export-status", args=[job.pk]))

    assert (status["status"], status["progress"], status["rows"]) == ("DONE", 100, 2)
    assert (
        b"".join(download.streaming_content).decode().splitlines()[0].startswith("business_day,location,order_number")
    )
    assert other.status_code == 404


def test_an_export_asked_from_the_dashboard_is_queued(client, cafe, django_capture_on_commit_callbacks):
    client.force_login(cafe.owner)
    day = cafe.location.business_day().isoformat()

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("reports:export-create"), {"from": day, "to": day, "kind": "ORDERS", "location": cafe.location.pk}
        )

    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.requested_by, list(job.locations.all()), job.status) == (cafe.owner, [cafe.location], "QUEUED")
    assert len(queued) == 1


def test_staff_roles_other_than_back_office_get_no_export(client, cafe):
    kitchen = staff(cafe.location, Role.KITCHEN)
    client.force_login(kitchen)

    assert client.post(reverse("reports:export-create"), {}).status_code == 403


def test_the_orders_export_and_the_shifts_csv_read_the_locations_clock(client, cafe, settings, tmp_path):
    """A Paris cafe's order created at 04:02 UTC is 05:02+01:00 in the export, as the API says; so is its shift."""
    settings.MEDIA_ROOT = str(tmp_path)
    order = discounted_sale(cafe)
    at = datetime.datetime(2026, 12, 4, 4, 2, tzinfo=datetime.UTC)
    Order.objects.filter(pk=order.pk).update(created_at=at)
    shift = ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier)
    shift_close(shift=shift, staff=cafe.cashier, counted_cash=shift.opening_float)
    Shift.objects.filter(pk=shift.pk).update(opened_at=at, closed_at=at + datetime.timedelta(hours=9))
    day = order.business_day
    job = export_job_create(user=cafe.owner, locations=[cafe.location], kind="ORDERS", date_from=day, date_to=day)

    export_job_run(job_id=job.pk)
    client.force_login(cafe.owner)
    shifts = client.get(f"{DASHBOARD}csv/shifts/", {"from": at.date(), "to": at.date()})

    job.refresh_from_db()
    with job.file.open("r") as exported:
        [row] = list(csv.DictReader(exported))
    assert row["created_at"] == "2026-12-04T05:02:00+01:00"
    [heading, shift_row] = rows_of(shifts)
    assert shift_row[heading.index("Opened")] == "2026-12-04T05:02:00+01:00"
    assert shift_row[heading.index("Closed")] == "2026-12-04T14:02:00+01:00"
