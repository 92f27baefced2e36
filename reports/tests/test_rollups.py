"""Daily roll-ups: a report read after any change to an order shows it, and the stored days add up to the rows."""

import datetime
from decimal import Decimal

import pytest

from accounts.tests.factories import LocationFactory
from cafepos.models import Event
from cafepos.tests.concurrency import run_concurrently
from orders.models import Order, OrderStatus, Payment
from orders.services import (
    order_create,
    order_discount_set,
    order_line_void,
    order_lines_add,
    order_status_set,
    payment_add,
    payment_refund,
    shift_close,
    shift_open,
)
from orders.tests.factories import line
from reports import selectors, tasks
from reports.models import RollupDay, RollupState

from .conftest import cafe_at
from .test_selectors import assert_reports_match_the_rows, history


@pytest.fixture
def two_cafes(cafe):
    other = cafe_at(LocationFactory(organization=cafe.location.organization, currency="EUR", tax_mode="EXCLUSIVE"))
    date_from, date_to = history(cafe)
    history(other)
    return cafe, other, date_from, date_to


@pytest.mark.django_db
def test_every_change_after_a_read_shows_in_the_next_report(two_cafes):
    # given reports read once (which builds the roll-ups of every day of the range)
    cafe, other, date_from, date_to = two_cafes
    locations = [cafe.location, other.location]
    assert_reports_match_the_rows(locations, date_from, date_to)
    assert RollupDay.objects.count() == 2 * 5

    def reports_agree():
        assert_reports_match_the_rows(locations, date_from, date_to)

    # when orders change one way after another, then each next report shows the change
    order = order_create(location=other.location, staff=other.manager, type="TAKEAWAY", lines=[line(other.coffee)])
    reports_agree()
    order = order_lines_add(order=order, staff=other.manager, lines=[line(other.soup, 2)], version=order.version)
    reports_agree()
    order = order_line_void(
        order=order, line=order.lines.get(name="Cappuccino"), staff=other.manager, reason="Spilt", version=order.version
    )
    reports_agree()
    order = order_discount_set(
        order=order, staff=other.manager, amount=Decimal("0.77"), reason="Regular", version=order.version
    )
    reports_agree()
    payment_add(order=order, staff=other.cashier, tender="CARD", amount=order.balance_due, tip=Decimal("0.70"))
    reports_agree()
    pending = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.soup)])
    reports_agree()
    order_status_set(order=pending, staff=cafe.manager, status=OrderStatus.CANCELLED, version=pending.version)
    reports_agree()

    # and a refund on an order of an earlier day changes that day's figures
    scope = selectors.report_scope(locations=locations, date_from=date_from, date_to=date_to)
    before = {row["key"]: row["net"] for row in selectors.sales_by(scope, "payment_method")}
    paid = Payment.objects.filter(
        order__location=cafe.location, order__business_day=date_from, tender="CARD", amount__gte=2, refunded_amount=0
    )
    payment = paid.order_by("pk").first()
    payment_refund(payment=payment, staff=cafe.manager, amount=Decimal("1.10"), reason="Cold")
    after = {row["key"]: row["net"] for row in selectors.sales_by(scope, "payment_method")}
    assert after[payment.tender] == before[payment.tender] - Decimal("1.10")
    reports_agree()


@pytest.mark.django_db
def test_events_purged_before_they_were_folded_in_rebuild_the_location(two_cafes):
    # given reports read once, then a change whose events are gone (as if purged) before the next read
    cafe, other, date_from, date_to = two_cafes
    assert_reports_match_the_rows([cafe.location], date_from, date_to)
    order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.soup, 3)])
    payment_add(order=order, staff=cafe.cashier, tender="CARD", amount=order.balance_due)
    Event.objects.filter(location_id=cafe.location.pk).delete()

    # when / then the next report still shows it
    assert_reports_match_the_rows([cafe.location], date_from, date_to)


@pytest.mark.django_db
def test_a_new_tax_mode_recomputes_the_stored_days(two_cafes):
    # given a report read with prices including tax
    cafe, other, date_from, date_to = two_cafes
    scope = selectors.report_scope(locations=[cafe.location], date_from=date_from, date_to=date_to)
    included = selectors.sales_summary(scope)["tax_by_rate"]

    # when the location switches to tax on top
    cafe.location.tax_mode = "EXCLUSIVE"
    cafe.location.save(update_fields=["tax_mode"])
    on_top = selectors.sales_summary(scope)["tax_by_rate"]

    # then the tax by rate is the one computed from scratch with the new mode
    RollupDay.objects.all().delete()
    RollupState.objects.all().delete()
    assert on_top == selectors.sales_summary(scope)["tax_by_rate"] != included


@pytest.mark.django_db
def test_the_beat_task_builds_recent_days_and_folds_in_changes(cafe):
    # given a day of sales and the periodic refresh
    order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.coffee)])
    tasks.rollups_refresh.apply()
    today = RollupDay.objects.get(location=cafe.location, business_day=order.business_day)
    assert RollupDay.objects.filter(location=cafe.location).count() == 366
    assert (today.orders, today.gross) == (1, Decimal("3.50"))

    # when an order changes and the task runs again
    order_lines_add(order=order, staff=cafe.cashier, lines=[line(cafe.croissant)], version=order.version)
    tasks.rollups_refresh.apply()

    # then the stored day holds the change before any report is read
    today = RollupDay.objects.get(location=cafe.location, business_day=order.business_day)
    assert (today.orders, today.gross) == (1, Decimal("5.50"))
    assert Order.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readers_arriving_together_build_each_day_once(cafe):
    # given sales that no report has read yet
    order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.coffee, 2)])
    today = cafe.location.business_day()
    scope = selectors.report_scope(
        locations=[cafe.location], date_from=today - datetime.timedelta(days=6), date_to=today
    )

    # when three reports are read at the same moment
    results = run_concurrently(3, lambda _: selectors.sales_summary(scope)["gross"])

    # then one of them built the week, the others waited and read it
    assert results == [Decimal("7.00")] * 3
    assert RollupDay.objects.filter(location=cafe.location).count() == 7


@pytest.mark.django_db
def test_a_day_in_yen_by_category_and_staff_worked_out_by_hand():
    # given a yen cafe (no minor unit, prices including tax): a cashier sells 2 × Cappuccino 350 at 10 %, and an
    # integrator's order (no staff) a Croissant 200 at 5.5 %
    cafe = cafe_at(LocationFactory(currency="JPY", tax_mode="INCLUSIVE"))
    for item, yen in ((cafe.coffee, "350"), (cafe.croissant, "200")):
        item.price = Decimal(yen)
        item.save(update_fields=["price"])
    order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.coffee, 2)])
    order_create(location=cafe.location, staff=None, type="TAKEAWAY", lines=[line(cafe.croissant)])
    today = Order.objects.first().business_day

    # when the day is read from its roll-ups
    scope = selectors.report_scope(locations=[cafe.location], date_from=today, date_to=today)
    summary = selectors.sales_summary(scope)
    by = {group: selectors.sales_by(scope, group) for group in ("category", "staff")}

    # then, by hand: tax 700 × 10/110 = 63.6 → 64 and 200 × 5.5/105.5 = 10.4 → 10
    assert (summary["gross"], summary["tax"]) == (Decimal("900"), Decimal("74"))
    assert {row["label"]: row["net"] for row in by["category"]} == {"Coffee": Decimal("700"), "Bakery": Decimal("200")}
    assert {row["key"]: (row["label"], row["net"]) for row in by["staff"]} == {
        cafe.cashier.pk: (str(cafe.cashier), Decimal("700")),
        None: ("(integration)", Decimal("200")),
    }


@pytest.mark.django_db
def test_days_of_no_orders_or_only_cancelled_ones_sold_nothing(cafe):
    # given one order, cancelled
    order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.soup)])
    order_status_set(order=order, staff=cafe.manager, status=OrderStatus.CANCELLED, version=order.version)

    # when that day and the one before (no orders at all) are read, then they count the cancelled order and no money
    day_before = order.business_day - datetime.timedelta(days=1)
    scope = selectors.report_scope(locations=[cafe.location], date_from=day_before, date_to=order.business_day)
    summary = selectors.sales_summary(scope)
    counts = ("orders", "cancelled_orders", "refund_count", "void_count")
    assert [summary[name] for name in counts] == [0, 1, 0, 0]
    assert [summary[name] for name in ("gross", "discounts", "tax", "tips", "refunds", "voids")] == [Decimal("0")] * 6


@pytest.mark.django_db
def test_a_change_rebuilds_the_stored_day_it_belongs_to_and_keeps_the_others(cafe):
    # given today's and yesterday's roll-ups built by a report of the two days
    order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.coffee)])
    today, yesterday = order.business_day, order.business_day - datetime.timedelta(days=1)
    scope = selectors.report_scope(locations=[cafe.location], date_from=yesterday, date_to=today)
    assert selectors.sales_summary(scope)["gross"] == Decimal("3.50")
    stored = dict(RollupDay.objects.filter(location=cafe.location).values_list("business_day", "pk"))

    # when today's order gets a croissant and the two days are read again
    order_lines_add(order=order, staff=cafe.cashier, lines=[line(cafe.croissant)], version=order.version)
    assert selectors.sales_summary(scope)["gross"] == Decimal("5.50")

    # then today's stored row was built again and yesterday's was kept as it was
    again = dict(RollupDay.objects.filter(location=cafe.location).values_list("business_day", "pk"))
    assert again[yesterday] == stored[yesterday] and again[today] != stored[today]


@pytest.mark.django_db
def test_the_first_order_of_a_location_shows_after_an_empty_report(cafe):
    # given a new location's report of today read before it took any order
    today = cafe.location.business_day()
    scope = selectors.report_scope(locations=[cafe.location], date_from=today, date_to=today)
    assert selectors.sales_summary(scope)["orders"] == 0

    # when its first order is taken (its first event)
    order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.soup)])

    # then the next report shows it
    summary = selectors.sales_summary(scope)
    assert (summary["orders"], summary["gross"]) == (1, Decimal("6.90"))


@pytest.mark.django_db
def test_a_day_with_one_shift_shows_the_sales_voids_and_tips_of_its_z_report(cafe):
    # given one drawer's day: a discounted order with a voided line and a tip, paid in cash; a card sale with a tip
    take = {"location": cafe.location, "staff": cafe.cashier, "terminal": cafe.terminal, "type": "TAKEAWAY"}
    shift = shift_open(terminal=cafe.terminal, staff=cafe.cashier, opening_float=Decimal("50.00"))
    first = order_create(lines=[line(cafe.coffee, 2), line(cafe.soup)], tip=Decimal("1.00"), **take)
    first = order_line_void(
        order=first, line=first.lines.get(name="Soup"), staff=cafe.manager, reason="Cold", version=first.version
    )
    first = order_discount_set(
        order=first, staff=cafe.manager, amount=Decimal("0.70"), reason="x", version=first.version
    )
    payment_add(order=first, staff=cafe.cashier, tender="CASH", amount=first.total)
    second = order_create(lines=[line(cafe.croissant, 3)], **take)
    payment_add(order=second, staff=cafe.cashier, tender="CARD", amount=second.total, tip=Decimal("0.40"))

    # when the drawer is closed and the day's report read
    z = shift_close(shift=shift, staff=cafe.cashier, counted_cash=Decimal("57.30")).z_report
    day = first.business_day
    scope = selectors.report_scope(locations=[cafe.location], date_from=day, date_to=day)
    summary = selectors.sales_summary(scope)
    by_tender = {row["key"]: row for row in selectors.sales_by(scope, "payment_method")}

    # then both count each figure alike (the Z report in cents)
    def cents(amount: Decimal) -> int:
        return int(amount * 100)

    assert (z["sales"]["orders"], z["sales"]["subtotal"]) == (summary["orders"], cents(summary["gross"])) == (2, 1300)
    assert z["sales"]["discount_total"] == z["discounts"]["amount"] == cents(summary["discounts"]) == 70
    assert z["sales"]["tax_total"] == cents(summary["tax"])
    assert (z["voids"]["count"], z["voids"]["amount"]) == (summary["void_count"], cents(summary["voids"])) == (1, 690)
    assert z["tips_total"] == cents(summary["tips"]) == 140
    for tender in ("CASH", "CARD"):
        row = z["tenders"][tender]
        assert (row["count"], row["amount"], row["tips"]) == (
            by_tender[tender]["count"],
            cents(by_tender[tender]["amount"]),
            cents(by_tender[tender]["tips"]),
        )
