"""GET /api/v1/reports/sales/: the v1 conventions (minor units, ?location=, one error shape, reports:read)."""

import pytest

from accounts.tests.api import api_as, api_with_key
from accounts.tests.factories import LocationFactory

from .conftest import cafe_at, discounted_sale

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/sales/"


@pytest.fixture
def sold(cafe):
    order = discounted_sale(cafe)
    return {"from": order.business_day.isoformat(), "to": order.business_day.isoformat()}


def test_sales_by_item_in_minor_units(cafe, sold):
    response = api_as(cafe.manager).get(URL, {**sold, "group_by": "item"})

    assert response.status_code == 200
    body = response.json()
    assert (body["location_id"], body["currency"], body["group_by"]) == (cafe.location.pk, "EUR", "item")
    summary = body["summary"]
    assert (summary["orders"], summary["gross"], summary["discounts"], summary["net"], summary["tax"]) == (
        1,
        900,
        100,
        800,
        66,
    )
    assert summary["tax_by_rate"] == [
        {"rate": "5.50", "taxable": 178, "tax": 9},
        {"rate": "10.00", "taxable": 622, "tax": 57},
    ]
    assert [(r["label"], r["quantity"], r["net"], r["tax"]) for r in body["rows"]] == [
        ("Cappuccino", 2, 622, 57),
        ("Croissant", 1, 178, 9),
    ]


@pytest.mark.parametrize("group_by", ["day", "hour", "item", "category", "staff", "payment_method", "type", "source"])
def test_every_grouping_answers(cafe, sold, group_by):
    response = api_as(cafe.owner).get(URL, {**sold, "group_by": group_by, "location": cafe.location.pk})

    assert response.status_code == 200
    assert isinstance(response.json()["rows"], list)


def test_an_api_key_needs_the_reports_scope(cafe, sold):
    allowed = api_with_key(cafe.location, ["reports:read"]).get(URL, sold)
    refused = api_with_key(cafe.location, ["orders:read"]).get(URL, sold)

    assert allowed.status_code == 200 and allowed.json()["summary"]["net"] == 800
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_a_cashier_may_not_read_reports(cafe, sold):
    response = api_as(cafe.cashier).get(URL, sold)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2026-01-01"}, "from"),
        ({"from": "2026-13-01", "to": "2026-01-01"}, "from"),
        ({"from": "2026-01-02", "to": "2026-01-01"}, "to"),
        ({"from": "2026-01-01", "to": "2026-01-01", "group_by": "weather"}, "group_by"),
    ],
)
def test_bad_parameters_get_the_error_shape(cafe, params, field):
    response = api_as(cafe.manager).get(URL, params)

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_another_organizations_location_is_not_found(cafe, sold):
    stranger = cafe_at(LocationFactory())

    response = api_as(cafe.owner).get(URL, {**sold, "location": stranger.location.pk})

    assert response.status_code == 404
