"""Money: worked examples checked by hand, and the property that totals are always the sum of their parts."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Location
from cafepos.money import currency_places, from_minor_units, quantize_money
from menu.tests.factories import MenuItemFactory, ModifierFactory, ModifierGroupFactory
from orders.representations import order_representation, quote_representation
from orders.services import order_create, order_quote, totals_compute
from orders.services.pricing import allocate
from orders.tests.factories import line

INCLUSIVE = Location.TaxMode.INCLUSIVE
EXCLUSIVE = Location.TaxMode.EXCLUSIVE


def test_inclusive_tax_is_taken_out_of_each_line_half_up():
    # given 2 × 4.00 at 10 % and 1 × 2.50 at 20 %, prices including tax
    # when totalled
    totals = totals_compute(
        currency="EUR",
        tax_mode=INCLUSIVE,
        lines=[(Decimal("8.00"), Decimal("10.00")), (Decimal("2.50"), Decimal("20.00"))],
    )
    # then 8.00 × 10/110 = 0.7272… → 0.73 and 2.50 × 20/120 = 0.41666… → 0.42; the total is the subtotal
    assert [line.tax for line in totals.lines] == [Decimal("0.73"), Decimal("0.42")]
    assert totals.tax_total == Decimal("1.15")
    assert totals.total == Decimal("10.50")
    assert totals.taxes_by_rate == {Decimal("10.00"): Decimal("0.73"), Decimal("20.00"): Decimal("0.42")}


def test_exclusive_tax_is_added_on_top_after_the_discount_spread_over_lines():
    # given 6.00 at 10 % and 4.00 at 20 %, prices before tax, a 1.00 discount
    totals = totals_compute(
        currency="EUR",
        tax_mode=EXCLUSIVE,
        lines=[(Decimal("6.00"), Decimal("10.00")), (Decimal("4.00"), Decimal("20.00"))],
        discount_amount=Decimal("1.00"),
        tip=Decimal("0.50"),
    )
    # then the discount splits 0.60 / 0.40; tax 5.40 × 10 % = 0.54 and 3.60 × 20 % = 0.72
    assert [line.discount for line in totals.lines] == [Decimal("0.60"), Decimal("0.40")]
    assert totals.tax_total == Decimal("1.26")
    # and total = 10.00 − 1.00 + 1.26 + 0.50
    assert totals.total == Decimal("10.76")


def test_a_percentage_discount_is_rounded_half_up_on_the_subtotal():
    totals = totals_compute(
        currency="EUR", tax_mode=INCLUSIVE, lines=[(Decimal("3.35"), Decimal("10.00"))], discount_percent=Decimal("10")
    )
    assert totals.discount_total == Decimal("0.34")  # 0.335 → 0.34
    assert totals.total == Decimal("3.01")


def test_a_currency_without_minor_units_rounds_to_whole_amounts():
    totals = totals_compute(currency="JPY", tax_mode=INCLUSIVE, lines=[(Decimal("550"), Decimal("8.00"))])
    assert totals.tax_total == Decimal("41")  # 550 × 8/108 = 40.74…


def test_allocation_adds_up_exactly_and_gives_leftover_units_to_the_largest_remainders():
    assert allocate(Decimal("1.00"), [Decimal("1"), Decimal("1"), Decimal("1")], "EUR") == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]


CURRENCIES = ["EUR", "JPY", "KWD"]
RATES = [Decimal("0.00"), Decimal("5.50"), Decimal("7.70"), Decimal("10.00"), Decimal("20.00"), Decimal("33.33")]


@st.composite
def carts(draw):
    currency = draw(st.sampled_from(CURRENCIES))
    places = currency_places(currency)
    lines = draw(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=5_000_000), st.sampled_from(RATES)),
            min_size=0,
            max_size=30,
        )
    )
    priced = [(from_minor_units(minor, currency), rate) for minor, rate in lines]
    subtotal_minor = sum(minor for minor, _ in lines)
    discount = draw(
        st.one_of(
            st.none(),
            st.builds(lambda m: ("amount", from_minor_units(m, currency)), st.integers(0, subtotal_minor)),
            st.builds(
                lambda p: ("percent", Decimal(p).scaleb(-2)),
                st.integers(min_value=0, max_value=10_000),
            ),
        )
    )
    tip = from_minor_units(draw(st.integers(min_value=0, max_value=100_000)), currency)
    tax_mode = draw(st.sampled_from([INCLUSIVE, EXCLUSIVE]))
    return currency, places, tax_mode, priced, discount, tip


@settings(max_examples=400, deadline=None)
@given(carts())
def test_totals_always_equal_the_sum_of_their_parts(cart):
    currency, places, tax_mode, lines, discount, tip = cart
    kind, value = discount or (None, None)
    totals = totals_compute(
        currency=currency,
        tax_mode=tax_mode,
        lines=lines,
        discount_amount=value if kind == "amount" else None,
        discount_percent=value if kind == "percent" else None,
        tip=tip,
    )
    money = [totals.subtotal, totals.discount_total, totals.tax_total, totals.tip_total, totals.total]
    money += [value for line in totals.lines for value in (line.discount, line.tax)]
    assert all(amount == quantize_money(amount, currency) for amount in money), "every amount in minor units"
    assert totals.subtotal == sum((line_total for line_total, _ in lines), Decimal("0"))
    assert totals.discount_total == sum((line.discount for line in totals.lines), Decimal("0"))
    assert 0 <= totals.discount_total <= totals.subtotal
    assert all(0 <= line.discount <= line.line_total for line in totals.lines)
    assert totals.tax_total == sum((line.tax for line in totals.lines), Decimal("0"))
    assert totals.tax_total == sum(totals.taxes_by_rate.values(), Decimal("0"))
    if tax_mode == INCLUSIVE:
        assert all(0 <= line.tax <= line.line_total - line.discount for line in totals.lines)
        added_tax = Decimal("0")
    else:
        added_tax = totals.tax_total
    assert totals.tip_total == tip
    assert totals.total == totals.subtotal - totals.discount_total + added_tax + totals.tip_total


@st.composite
def menu_carts(draw):
    """Menu items as a location would have them, and a cart of them with a discount and a tip."""
    items = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=100_000),  # price in cents
                st.sampled_from(RATES),
                st.integers(min_value=1, max_value=20),  # quantity
                st.sampled_from(["KITCHEN", "BAR", "NONE"]),
                st.lists(st.integers(min_value=0, max_value=500), max_size=2),  # modifier deltas in cents
            ),
            min_size=1,
            max_size=8,
        )
    )
    percent = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=100)))
    tip = draw(st.integers(min_value=0, max_value=5_000))
    return items, percent, tip


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cart=menu_carts(), tax_mode=st.sampled_from([INCLUSIVE, EXCLUSIVE]))
def test_a_saved_order_always_equals_the_sum_of_its_parts(location, manager, cart, tax_mode):
    # given any cart of the location's items
    location.tax_mode = tax_mode
    location.save(update_fields=["tax_mode"])
    items, percent, tip = cart
    lines = []
    for price, rate, quantity, station, deltas in items:
        group = ModifierGroupFactory(location=location, max_selections=2)
        modifiers = [ModifierFactory(group=group, price_delta=Decimal(d).scaleb(-2)) for d in deltas]
        item = MenuItemFactory(
            location=location, price=Decimal(price).scaleb(-2), tax_rate=rate, station=station, modifier_groups=[group]
        )
        lines.append(line(item, quantity, modifiers))
    discount = {"percent": Decimal(percent), "reason": "any"} if percent else None
    # when it is ordered
    order = order_create(
        location=location,
        staff=manager,
        type="TAKEAWAY",
        lines=lines,
        discount=discount,
        tip=Decimal(tip).scaleb(-2),
        tip_approved_by=manager,  # a tip may pass the location's max_tip_percent of a small order
    )
    shown = order_representation(order)
    # then the JSON adds up, in minor units
    assert shown["subtotal"] == sum(item["line_total"] for item in shown["items"])
    for item in shown["items"]:
        unit = item["unit_price"] + sum(m["price_delta"] for m in item["modifiers"])
        assert item["line_total"] == unit * item["quantity"]
    added_tax = shown["tax_total"] if tax_mode == EXCLUSIVE else 0
    assert shown["total"] == shown["subtotal"] - shown["discount_total"] + added_tax + shown["tip_total"]
    assert shown["balance_due"] == shown["total"] - shown["paid_total"]
    # and the quote said the same
    quote = order_quote(location=location, type="TAKEAWAY", lines=lines, discount=discount, tip=Decimal(tip).scaleb(-2))
    assert quote_representation(quote)["total"] == shown["total"]
