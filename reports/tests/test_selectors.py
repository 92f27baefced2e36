"""Report figures against the raw rows: every number rebuilt in Python from orders, lines, payments and refunds."""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest

from accounts.tests.factories import LocationFactory
from cafepos.exceptions import ApplicationError
from cafepos.money import quantize_money
from orders.models import Order, OrderLine, OrderStatus, Payment, Refund, Shift, Ticket
from orders.services import (
    order_create,
    order_line_void,
    payment_add,
    payment_refund,
    shift_close,
    shift_open,
    totals_compute,
)
from orders.services.pricing import allocate
from orders.tests.factories import line
from reports import selectors
from reports.demo import seed_history

from .conftest import cafe_at

ZERO = Decimal("0")


def history(cafe, *, days=4):
    """Random but seeded sales over `days` past days, plus a fixed-discount order with a void and a partial refund."""
    location = cafe.location
    seed_history(location, days=days, orders_per_day=(6, 9), seed=11)
    order = order_create(
        location=location,
        staff=cafe.manager,
        type="TAKEAWAY",
        lines=[line(cafe.coffee, 2), line(cafe.croissant), line(cafe.soup), line(cafe.croissant)],
        discount={"amount": Decimal("1.37"), "reason": "Sorry"},
    )
    # the random history may hold no void on some days: this order always has one
    dropped = order.lines.filter(name=cafe.croissant.name).last()
    order = order_line_void(order=order, line=dropped, staff=cafe.manager, reason="Dropped", version=order.version)
    payment = payment_add(order=order, staff=cafe.cashier, tender="CARD", amount=order.balance_due, tip=Decimal("1"))
    payment_refund(payment=payment, staff=cafe.manager, amount=Decimal("2.50"), reason="Cold")
    return location.business_day() - datetime.timedelta(days=days), location.business_day()


def rebuilt(locations, date_from, date_to) -> dict:
    """The reports, rebuilt one order at a time with the orders app's own arithmetic."""
    in_range = Order.objects.filter(location__in=locations, business_day__range=(date_from, date_to))
    sales = in_range.exclude(status=OrderStatus.CANCELLED).select_related("location").prefetch_related("lines")
    summary = defaultdict(lambda: ZERO)
    by_rate = defaultdict(lambda: [ZERO, ZERO])
    by_item = defaultdict(lambda: [0, ZERO, ZERO, ZERO])
    by_day = defaultdict(lambda: ZERO)
    for order in sales:
        counted = [line for line in order.lines.all() if not line.voided]
        totals = totals_compute(
            currency=order.location.currency,
            tax_mode=order.location.tax_mode,
            lines=[(line.line_total, line.tax_rate) for line in counted],
            discount_amount=order.discount_amount,
            discount_percent=order.discount_percent,
        )
        summary["orders"] += 1
        summary["gross"] += totals.subtotal
        summary["discounts"] += totals.discount_total
        summary["tax"] += totals.tax_total
        summary["tips"] += order.tip_total
        summary["voids"] += sum((line.line_total for line in order.lines.all() if line.voided), ZERO)
        by_day[order.business_day] += totals.subtotal - totals.discount_total
        shares = allocate(totals.discount_total, [line.line_total for line in counted], order.location.currency)
        for line_, priced, share in zip(counted, totals.lines, shares, strict=True):
            by_rate[line_.tax_rate][0] += line_.line_total - share
            by_rate[line_.tax_rate][1] += priced.tax
            item = by_item[line_.name]
            item[0] += line_.quantity
            item[1] += line_.line_total
            item[2] += share
            item[3] += priced.tax
    summary["cancelled_orders"] = in_range.filter(status=OrderStatus.CANCELLED).count()
    summary["refunds"] = sum((r.amount for r in Refund.objects.filter(payment__order__in=in_range)), ZERO)
    by_tender = defaultdict(lambda: ZERO)
    for payment in Payment.objects.filter(order__in=in_range):
        by_tender[payment.tender] += payment.amount + payment.tip - payment.refunded_amount
    return {"summary": summary, "rates": by_rate, "items": by_item, "days": by_day, "tenders": by_tender}


@pytest.mark.django_db
def test_every_report_figure_matches_the_orders_to_the_cent(cafe):
    # given weeks of sales with discounts, voids, refunds and tips at two locations, one adding tax on top
    other = cafe_at(LocationFactory(organization=cafe.location.organization, currency="EUR", tax_mode="EXCLUSIVE"))
    date_from, date_to = history(cafe)
    history(other)
    locations = [cafe.location, other.location]
    expected = rebuilt(locations, date_from, date_to)
    assert expected["summary"]["discounts"] > 0 and expected["summary"]["voids"] > 0

    # when the reports are computed by the database, then each one agrees with the rows
    assert_reports_match_the_rows(locations, date_from, date_to)


def assert_reports_match_the_rows(locations, date_from, date_to) -> None:
    expected = rebuilt(locations, date_from, date_to)
    scope = selectors.report_scope(locations=locations, date_from=date_from, date_to=date_to)
    summary = selectors.sales_summary(scope)
    want = expected["summary"]
    for name in ("orders", "cancelled_orders", "gross", "discounts", "tax", "tips", "refunds", "voids"):
        assert summary[name] == want[name], name
    assert summary["net"] == want["gross"] - want["discounts"]
    assert summary["average_ticket"] == quantize_money(summary["net"] / want["orders"], "EUR")
    assert {row["rate"]: (row["taxable"], row["tax"]) for row in summary["tax_by_rate"]} == {
        rate: tuple(values) for rate, values in expected["rates"].items()
    }
    assert sum(row["tax"] for row in summary["tax_by_rate"]) == summary["tax"]
    items = {
        row["label"]: (row["quantity"], row["gross"], row["discounts"], row["tax"])
        for row in selectors.sales_by(scope, "item")
    }
    assert items == {name: tuple(values) for name, values in expected["items"].items()}
    days = {row["key"]: row["net"] for row in selectors.sales_by(scope, "day")}
    assert days == dict(expected["days"])
    tenders = {row["key"]: row["net"] for row in selectors.sales_by(scope, "payment_method")}
    assert tenders == dict(expected["tenders"])
    for group in ("hour", "staff", "type", "source", "category"):
        rows = selectors.sales_by(scope, group)
        assert sum(row["net"] for row in rows) == summary["net"], group


@pytest.mark.django_db
def test_hours_are_local_to_the_location(cafe):
    order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.croissant)])
    local_nine = datetime.datetime.combine(order.business_day, datetime.time(9, 15), tzinfo=cafe.location.zone)
    Order.objects.filter(pk=order.pk).update(created_at=local_nine)
    scope = selectors.report_scope(locations=[cafe.location], date_from=order.business_day, date_to=order.business_day)

    [row] = selectors.sales_by(scope, "hour")

    assert (row["key"], row["label"], row["orders"]) == (9, "09:00", 1)


@pytest.mark.django_db
def test_a_tip_given_with_the_order_is_a_tip_of_the_tender_that_took_it(cafe):
    # given soup 6.90 with a 1.00 tip given when ordering: 7.00 paid by card (the food and 0.10 of the tip),
    # then the last 0.90 as a voucher (OTHER) with 0.50 more tip
    order = order_create(
        location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.soup)], tip=Decimal("1.00")
    )
    payment_add(order=order, staff=cafe.cashier, tender="CARD", amount=Decimal("7.00"))
    payment_add(order=order, staff=cafe.cashier, tender="OTHER", amount=Decimal("0.90"), tip=Decimal("0.50"))
    scope = selectors.report_scope(locations=[cafe.location], date_from=order.business_day, date_to=order.business_day)

    # when the sales are read by payment method
    rows = {row["key"]: (row["amount"], row["tips"], row["net"]) for row in selectors.sales_by(scope, "payment_method")}

    # then, as on the Z report, the payments pay the food first and the tip last: every tip is counted once
    assert rows == {
        "CARD": (Decimal("6.90"), Decimal("0.10"), Decimal("7.00")),
        "OTHER": (Decimal("0.00"), Decimal("1.40"), Decimal("1.40")),
    }
    assert selectors.sales_summary(scope)["tips"] == Decimal("1.50")


@pytest.mark.django_db
def test_kitchen_speed_percentiles_interpolate_between_tickets(cafe):
    day = cafe.location.business_day()
    seconds = [60, 120, 180, 240, 600]
    for duration in seconds:
        order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.soup)])
        ticket = order.tickets.get()
        Ticket.objects.filter(pk=ticket.pk).update(
            status="DONE", done_at=ticket.created_at + datetime.timedelta(seconds=duration)
        )
    scope = selectors.report_scope(locations=[cafe.location], date_from=day, date_to=day)

    [kitchen] = selectors.kitchen_speed(scope)

    assert kitchen["station"] == "KITCHEN" and kitchen["tickets"] == 5
    assert kitchen["p50"] == pytest.approx(statistics.quantiles(seconds, n=10, method="inclusive")[4])
    assert kitchen["p90"] == pytest.approx(statistics.quantiles(seconds, n=10, method="inclusive")[8])
    assert kitchen["average"] == pytest.approx(statistics.mean(seconds))


@pytest.mark.django_db
def test_z_reports_of_shifts_closed_in_the_range(cafe):
    shift = shift_open(terminal=cafe.terminal, staff=cafe.cashier, opening_float=Decimal("100.00"))
    order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.croissant)])
    payment_add(order=order, staff=cafe.cashier, tender="CASH", amount=Decimal("2.00"), shift=shift)
    shift_close(shift=shift, staff=cafe.cashier, counted_cash=Decimal("102.00"))
    today = cafe.location.business_day()
    scope = selectors.report_scope(locations=[cafe.location], date_from=today, date_to=today)
    earlier = selectors.report_scope(
        locations=[cafe.location],
        date_from=today - datetime.timedelta(days=3),
        date_to=today - datetime.timedelta(days=1),
    )

    [report] = selectors.z_reports(scope)

    assert report["shift_id"] == shift.pk
    assert report["z_report"]["expected_cash"] == 10200 and report["z_report"]["variance"] == 0
    assert selectors.z_reports(earlier) == []
    assert Shift.objects.count() == 1


@pytest.mark.django_db
def test_locations_with_different_currencies_are_not_added_up(cafe):
    dollars = LocationFactory(organization=cafe.location.organization, currency="USD")
    day = cafe.location.business_day()

    with pytest.raises(ApplicationError) as refused:
        selectors.report_scope(locations=[cafe.location, dollars], date_from=day, date_to=day)

    assert refused.value.code == "reports.mixed_currencies"


@pytest.mark.django_db
def test_a_range_longer_than_a_year_is_refused(cafe):
    day = cafe.location.business_day()

    with pytest.raises(ApplicationError) as refused:
        selectors.report_scope(locations=[cafe.location], date_from=day - datetime.timedelta(days=366), date_to=day)

    assert refused.value.fields == {"to": ["A report covers at most 366 days; use a CSV export for longer ranges."]}


@pytest.mark.django_db
def test_a_year_report_runs_a_bounded_number_of_queries(cafe, django_assert_max_num_queries):
    history(cafe, days=2)
    day = cafe.location.business_day()
    scope = selectors.report_scope(locations=[cafe.location], date_from=day - datetime.timedelta(days=365), date_to=day)

    # the first read builds the year's roll-ups: a few queries per kind of figure, not per day
    with django_assert_max_num_queries(40):
        selectors.sales_summary(scope)
    # later reads add up the stored days (the refresh finds no new event and no missing day)
    with django_assert_max_num_queries(10):
        selectors.sales_summary(scope)
    for group in selectors.GROUPS:
        with django_assert_max_num_queries(8):
            selectors.sales_by(scope, group)
    assert OrderLine.objects.exists()
