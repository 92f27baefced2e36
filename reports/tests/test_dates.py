"""Report dates out of any cafe's range are a 400 with a field message, never a 500."""

import pytest

from accounts.tests.api import api_as
from cafepos.api.params import MAX_DATE, MIN_DATE, parse_date
from reports.models import ExportJob

pytestmark = pytest.mark.django_db
DASHBOARD = "/backoffice/reports/"


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (DASHBOARD, {"to": "0001-01-01"}),
        (DASHBOARD, {"to": "9999-12-31"}),
        (DASHBOARD, {"from": "9999-12-31", "to": "9999-12-31"}),
        (f"{DASHBOARD}csv/day/", {"to": "0001-01-01"}),
        (f"{DASHBOARD}csv/shifts/", {"from": "9999-12-31", "to": "9999-12-31"}),
        (f"{DASHBOARD}csv/day/", {"from": "2026-02-30"}),
        (f"{DASHBOARD}csv/day/", {"to": "２０２６-01-01"}),
    ],
)
def test_report_pages_refuse_dates_out_of_range(client, cafe, path, query):
    client.force_login(cafe.owner)

    response = client.get(path, query)

    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"from": "0001-01-01", "to": "9999-12-31"}, "YYYY-MM-DD"),
        ({"location": "9" * 5000}, "Unknown location."),
    ],
)
def test_an_export_with_a_hostile_date_or_location_is_refused_with_a_message(client, cafe, form, message):
    client.force_login(cafe.owner)

    response = client.post(f"{DASHBOARD}exports/", {"kind": "ORDERS", **form}, follow=True)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "10000-01-01", "2026-13-01", "", None, "9" * 5000])
def test_the_api_sales_report_refuses_dates_out_of_range(cafe, value):
    response = api_as(cafe.owner).get("/api/v1/reports/sales/", {"from": "2026-01-01", "to": value or ""})

    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"to"}


def test_parse_date_bounds():
    assert parse_date(MIN_DATE.isoformat()) == MIN_DATE
    assert parse_date(MAX_DATE.isoformat()) == MAX_DATE
    assert parse_date("1999-12-31") is None
    assert parse_date("2100-01-01") is None
    assert parse_date("20260101") is None
