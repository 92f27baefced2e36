"""The money figures a person worked out by hand (orders/tests/money_examples.json), held against the code.

The table is the oracle: nothing here computes an expected figure. The page's pricing.js is held to the same
rows by pos/tests/js/money_examples.mjs (pos/tests/test_pricing_js.py runs it with Node when it is installed).
"""

import json
import pathlib
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from cafepos.exceptions import ApplicationError
from cafepos.money import money_in_bounds, quantize_money
from menu.tests.factories import MenuItemFactory
from orders.models import Order, Tender
from orders.representations import quote_representation
from orders.services import (
    order_create,
    order_line_void,
    order_split_by_lines,
    order_split_even,
    payment_add,
    payment_refund,
    shift_cash_move,
    shift_close,
)
from orders.services.inputs import discount_resolve
from orders.services.pricing import order_quote, totals_compute
from orders.tests.factories import ShiftFactory, line
from reports import selectors

HERE = pathlib.Path(__file__).parent
EXAMPLES = json.loads((HERE / "money_examples.json").read_text())
CARTS = {cart["name"]: cart for cart in EXAMPLES["carts"]}


def money(text: str | None) -> Decimal:
    return Decimal(text or "0")


def minor(text: str, currency: str) -> int:
    """Table money as the API shows it: an integer of minor units (the table's own digits per currency)."""
    return int(Decimal(text).scaleb(EXAMPLES["minor_digits"][currency]))


def figures(totals) -> dict:
    """The engine's totals as the table writes them (major units as text)."""
    return {
        "subtotal": str(totals.subtotal),
        "discount": str(totals.discount_total),
        "discount_per_line": [str(line.discount) for line in totals.lines],
        "taxes": {f"{rate:.2f}": str(tax) for rate, tax in totals.taxes_by_rate.items()},
        "tax_total": str(totals.tax_total),
        "tip": str(totals.tip_total),
        "total": str(totals.total),
    }


@pytest.mark.parametrize("cart", EXAMPLES["carts"], ids=lambda cart: cart["name"])
def test_the_engine_gives_the_hand_worked_figures(cart):
    discount = cart.get("discount") or {}
    totals = totals_compute(
        currency=cart["currency"],
        tax_mode=cart["tax_mode"],
        lines=[(money(line["price"]) * line["quantity"], money(line["tax_rate"])) for line in cart["lines"]],
        discount_amount=money(discount["amount"]) if "amount" in discount else None,
        discount_percent=money(discount["percent"]) if "percent" in discount else None,
        tip=money(cart.get("tip")),
    )
    got = figures(totals)
    assert {key: got[key] for key in cart["expect"]} == cart["expect"]


def cafe(cart: dict):
    location = LocationFactory(currency=cart["currency"], tax_mode=cart["tax_mode"])
    items = [
        MenuItemFactory(location=location, price=money(entry["price"]), tax_rate=money(entry["tax_rate"]))
        for entry in cart["lines"]
    ]
    return location, [line(item, entry["quantity"]) for item, entry in zip(items, cart["lines"], strict=True)]


def accepted(cart: dict) -> bool:
    """A cart whose discount the API takes as input (a 0 % discount is refused: see `refused`)."""
    return (cart.get("discount") or {}).get("percent") != "0"


@pytest.mark.django_db
@pytest.mark.parametrize("cart", [c for c in EXAMPLES["carts"] if accepted(c)], ids=lambda cart: cart["name"])
def test_an_order_taken_by_a_manager_stores_the_hand_worked_figures(cart):
    order, _ = order_of(cart["name"])
    order = Order.objects.get(pk=order.pk)
    stored = {
        "subtotal": order.subtotal,
        "discount": order.discount_total,
        "tax_total": order.tax_total,
        "tip": order.tip_total,
        "total": order.total,
    }
    expect = cart["expect"]
    assert {key: quantize_money(value, cart["currency"]) for key, value in stored.items() if key in expect} == {
        key: money(value) for key, value in expect.items() if key in stored
    }


@pytest.mark.django_db
@pytest.mark.parametrize("cart", [c for c in EXAMPLES["carts"] if accepted(c)], ids=lambda cart: cart["name"])
def test_a_quote_shows_the_hand_worked_figures(cart):
    location, lines = cafe(cart)
    discount = {**cart["discount"], "reason": "table"} if cart.get("discount") else None
    quote = quote_representation(
        order_quote(location=location, type="TAKEAWAY", lines=lines, discount=discount, tip=cart.get("tip"))
    )
    currency = cart["currency"]
    expect = {
        key: {rate: minor(tax, currency) for rate, tax in value.items()} if key == "taxes" else minor(value, currency)
        for key, value in cart["expect"].items()
        if key != "discount_per_line"
    }
    shown = {
        "subtotal": quote["subtotal"],
        "discount": quote["discount_total"],
        "taxes": {row["rate"]: row["amount"] for row in quote["taxes"]},
        "tax_total": quote["tax_total"],
        "tip": quote["tip_total"],
        "total": quote["total"],
    }
    assert (quote["currency"], quote["type"]) == (currency, "TAKEAWAY")
    assert {key: shown[key] for key in expect} == expect


@pytest.mark.django_db
def test_a_quote_refuses_what_the_table_refuses():
    location, lines = cafe(CARTS["inclusive, three lines, two rates"])
    for case in EXAMPLES["refused"]:
        with pytest.raises(ApplicationError) as refused:
            order_quote(location=location, type="TAKEAWAY", lines=lines, discount=case["discount"])
        assert refused.value.code == case["code"], case["name"]
    with pytest.raises(ApplicationError) as refused:
        order_quote(location=location, type="DRIVE_THROUGH", lines=lines)
    message = "The type is one of DINE_IN, TAKEAWAY, DELIVERY."
    assert (refused.value.code, refused.value.fields) == ("order.invalid_type", {"type": [message]})
    with pytest.raises(ApplicationError) as refused:
        order_quote(location=location, type="TAKEAWAY", lines=lines, tip="0.001")
    assert list(refused.value.fields) == ["tip"]


@pytest.mark.parametrize("case", EXAMPLES["refused"], ids=lambda case: case["name"])
def test_discounts_the_table_refuses(case):
    location = LocationFactory.build(currency="EUR")
    with pytest.raises(ApplicationError) as refused:
        discount_resolve(location=location, subtotal=Decimal("7.50"), discount=case["discount"], approval_needed=False)
    assert (refused.value.code, list(refused.value.fields)) == (case["code"], [case["field"]])


@pytest.mark.parametrize("case", EXAMPLES["rounding"], ids=lambda case: f"{case['currency']} {case['amount']}")
def test_rounding_is_half_up_to_the_minor_unit(case):
    assert str(quantize_money(Decimal(case["amount"]), case["currency"])) == case["expect"]


@pytest.mark.parametrize("case", EXAMPLES["bounds"], ids=lambda case: case["amount"])
def test_the_money_cap_is_one_hundred_million_either_way(case):
    assert money_in_bounds(Decimal(case["amount"])) is case["within"]


@pytest.mark.parametrize("case", EXAMPLES["divide"], ids=lambda case: f"{case['n']}/{case['d']}")
def test_a_division_rounds_half_away_from_zero(case):
    assert quantize_money(Decimal(case["n"]) / Decimal(case["d"]), "JPY") == case["expect"]


def order_of(cart_name: str, *, drawer: bool = False):
    """An order of a table cart taken by a manager (so any discount in it is approved); with `drawer`, on a
    terminal whose shift is open, ready for cash."""
    cart = CARTS[cart_name]
    location, lines = cafe(cart)
    terminal = TerminalFactory(location=location) if drawer else None
    if drawer:
        ShiftFactory(terminal=terminal)
    discount = {**cart["discount"], "reason": "table"} if cart.get("discount") else None
    manager = staff(location, Role.MANAGER)
    order = order_create(
        location=location,
        staff=manager,
        terminal=terminal,
        type="TAKEAWAY",
        lines=lines,
        discount=discount,
        tip=cart.get("tip"),
        tip_approved_by=manager,  # a tip on a free order is above any share of nothing
    )
    return order, manager


@pytest.mark.django_db
@pytest.mark.parametrize("case", EXAMPLES["split_even"], ids=lambda case: f"{case['balance']} {case['currency']}")
def test_an_even_split_gives_the_hand_worked_checks(case):
    cart = {
        "currency": case["currency"],
        "tax_mode": "INCLUSIVE",
        "lines": [{"price": case["balance"], "quantity": 1, "tax_rate": "0.00"}],
    }
    location, lines = cafe(cart)
    order = order_create(location=location, staff=staff(location, Role.CASHIER), type="TAKEAWAY", lines=lines)
    checks = order_split_even(order=order, parts=case["parts"])
    assert [str(check.amount) for check in checks] == case["expect"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", EXAMPLES["split_by_lines"], ids=lambda case: case["cart"])
def test_a_split_by_lines_gives_the_hand_worked_checks(case):
    order, _ = order_of(case["cart"])
    line_ids = list(order.lines.order_by("pk").values_list("pk", flat=True))
    checks = order_split_by_lines(order=order, groups=[[line_ids[i] for i in group] for group in case["groups"]])
    assert [str(check.amount) for check in checks] == case["expect"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", EXAMPLES["cash"], ids=lambda case: f"{case['cart']} {case['amount']}")
def test_cash_gives_the_hand_worked_change(case):
    order, manager = order_of(case["cart"], drawer=True)
    payment = payment_add(
        order=order,
        staff=manager,
        tender=Tender.CASH,
        amount=money(case["amount"]),
        tip=money(case.get("tip")),
        tendered=money(case["tendered"]) if "tendered" in case else None,
    )
    currency = order.location.currency
    got = {"applied": payment.amount, "tip": payment.tip, "change_due": payment.change_due}
    assert {key: str(quantize_money(value, currency)) for key, value in got.items()} == case["expect"]


@pytest.mark.django_db
def test_refunds_give_the_hand_worked_figures():
    case = EXAMPLES["refunds"]
    order, manager = order_of(case["cart"])
    payment = payment_add(
        order=order, staff=manager, tender=Tender.CARD, amount=money(case["card"]), tip=money(case["tip"])
    )
    for step in case["steps"]:
        if "refused" in step:
            with pytest.raises(ApplicationError) as refused:
                payment_refund(payment=payment, staff=manager, amount=money(step["refund"]), reason="guest")
            assert refused.value.code == step["refused"]
            continue
        refund = payment_refund(payment=payment, staff=manager, amount=money(step["refund"]), reason="guest")
        payment, order = refund.payment, Order.objects.get(pk=order.pk)
        got = {"paid_total": order.paid_total, "refunded_total": order.refunded_total, "refundable": payment.refundable}
        assert {key: str(quantize_money(value, "EUR")) for key, value in got.items()} == step["expect"]


@pytest.mark.django_db
def test_a_shift_and_its_day_add_up_to_the_hand_worked_figures():
    case = EXAMPLES["shift"]
    location = LocationFactory(currency="EUR", tax_mode="INCLUSIVE")
    manager = staff(location, Role.MANAGER)
    terminal = TerminalFactory(location=location)
    shift = ShiftFactory(terminal=terminal, staff=manager, opening_float=money(case["opening_float"]))

    def items(cart_name: str) -> list[dict]:
        return [
            line(MenuItemFactory(location=location, price=money(entry["price"]), tax_rate=money(entry["tax_rate"])))
            for entry in CARTS[cart_name]["lines"]
        ]

    water = line(MenuItemFactory(location=location, price=Decimal("1.00"), tax_rate=Decimal("10.00")))
    order_a = order_create(
        location=location,
        staff=manager,
        terminal=terminal,
        type="TAKEAWAY",
        lines=[*items("10 % discount, inclusive"), water],
        discount={"percent": "10", "reason": "regular"},
    )
    voided = order_a.lines.order_by("pk").last()
    order_a = order_line_void(order=order_a, line=voided, staff=manager, reason="spilt", version=order_a.version)
    cash = payment_add(
        order=order_a,
        staff=manager,
        tender=Tender.CASH,
        amount=Decimal("6.75"),
        tip=Decimal("0.50"),
        tendered=Decimal("10.00"),
    )
    order_b = order_create(
        location=location, staff=manager, terminal=terminal, type="TAKEAWAY", lines=items("inclusive, two rates")
    )
    payment_add(order=order_b, staff=manager, tender=Tender.CARD, amount=Decimal("7.50"), tip=Decimal("1.00"))
    payment_refund(payment=cash, staff=manager, amount=money(case["refund"]), reason="cold coffee")
    shift_cash_move(shift=shift, staff=manager, amount=money(case["cash_in"]), reason="change")
    shift_cash_move(shift=shift, staff=manager, amount=money(case["cash_out"]), reason="bank")

    shift = shift_close(shift=shift, staff=manager, counted_cash=money(case["counted"]))

    assert {key: shift.z_report[key] for key in case["expect_z"]} == case["expect_z"]
    day = Order.objects.get(pk=order_a.pk).business_day
    scope = selectors.report_scope(locations=[location], date_from=day, date_to=day)
    summary = selectors.sales_summary(scope)
    summary["tax_by_rate"] = [{key: str(value) for key, value in row.items()} for row in summary["tax_by_rate"]]
    got = {key: value if isinstance(value, int | list) else str(value) for key, value in summary.items()}
    expect = dict(case["expect_day"])
    by_method = expect.pop("by_payment_method")
    assert {key: got[key] for key in expect} == expect
    methods = selectors.sales_by(scope, "payment_method")
    assert [{**row, "label": None} for row in methods] == [
        {
            **row,
            "amount": money(row["amount"]),
            "tips": money(row["tips"]),
            "refunds": money(row["refunds"]),
            "net": money(row["net"]),
            "label": None,
        }
        for row in by_method
    ]
