"""Shifts: a full day at one till with its Z report worked out by hand, and the drawer's rules."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role, Terminal
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from menu.tests.factories import MenuItemFactory
from orders.models import Order, Tender
from orders.services import (
    order_create,
    order_discount_set,
    order_line_void,
    payment_add,
    payment_refund,
    shift_cash_move,
    shift_close,
    shift_open,
)
from orders.tests.assertions import refused
from orders.tests.factories import line

pytestmark = pytest.mark.django_db


def item(location, price: str, rate: str = "10.00"):
    return MenuItemFactory(location=location, price=Decimal(price), tax_rate=Decimal(rate))


def test_a_full_shift_and_its_z_report(location, cashier, manager, terminal):
    # given a drawer opened with a 100.00 float (prices include tax)
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("100.00"))
    take = {"location": location, "staff": cashier, "terminal": terminal, "type": "TAKEAWAY"}
    # order A: 2 × coffee 3.50 + cake 4.00 at 10 % = 11.00, paid with a 20 note (9.00 change)
    cake = item(location, "4.00")
    a = order_create(lines=[line(item(location, "3.50"), 2), line(cake)], **take)
    cash_a = payment_add(order=a, staff=cashier, tender=Tender.CASH, amount=Decimal("20.00"))
    # order B: burger 12.00 at 10 %, by card with a 1.50 tip
    b = order_create(lines=[line(item(location, "12.00"))], **take)
    payment_add(order=b, staff=cashier, tender=Tender.CARD, amount=Decimal("12.00"), tip=Decimal("1.50"))
    # order C: soup 5.00 at 10 %, wine 6.00 at 20 %, bread 2.00 voided, 1.10 off (10 %),
    # 9.90 paid in cash with a 0.10 tip from a 10 note
    c = order_create(
        lines=[line(item(location, "5.00")), line(item(location, "6.00", "20.00")), line(item(location, "2.00"))],
        **take,
    )
    bread = c.lines.get(unit_price=Decimal("2.00"))
    c = order_line_void(order=c, line=bread, staff=cashier, reason="out of bread", version=c.version)
    c = order_discount_set(order=c, staff=cashier, amount=Decimal("1.10"), reason="regular", version=c.version)
    payment_add(
        order=c, staff=cashier, tender=Tender.CASH, amount=Decimal("9.90"), tip=Decimal("0.10"), tendered=Decimal("10")
    )
    # a manager refunds 4.00 cash for the cake; 20.00 goes to the bank; 5.00 of coins come in
    payment_refund(payment=cash_a, staff=manager, amount=Decimal("4.00"), reason="cake was stale")
    shift_cash_move(shift=shift, staff=cashier, amount=Decimal("-20.00"), reason="bank drop")
    shift_cash_move(shift=shift, staff=cashier, amount=Decimal("5.00"), reason="coins")

    # when the drawer is closed with 101.50 counted
    shift = shift_close(shift=shift, staff=cashier, counted_cash=Decimal("101.50"))

    # then, by hand: expected cash = 100.00 + 11.00 + 9.90 + 0.10 − 4.00 + 5.00 − 20.00 = 102.00
    assert (shift.expected_cash, shift.counted_cash, shift.variance) == (
        Decimal("102.00"),
        Decimal("101.50"),
        Decimal("-0.50"),
    )
    report = shift.z_report
    assert report["opening_float"] == 10000
    assert report["tenders"] == {
        "CASH": {"count": 2, "amount": 2090, "tips": 10},
        "CARD": {"count": 1, "amount": 1200, "tips": 150},
        "OTHER": {"count": 0, "amount": 0, "tips": 0},
    }
    assert report["tips_total"] == 160
    assert report["refunds"]["CASH"] == {"count": 1, "amount": 400}
    assert report["refunds_total"] == 400
    assert (report["cash_in"], report["cash_out"]) == (500, 2000)
    assert (report["expected_cash"], report["counted_cash"], report["variance"]) == (10200, 10150, -50)
    # sales: subtotal 11.00 + 12.00 + 11.00; totals with tips 11.00 + 13.50 + 10.00
    assert report["sales"] == {
        "orders": 3,
        "subtotal": 3400,
        "discount_total": 110,
        "tax_total": 340,
        "total": 3450,
    }
    # tax at 10 %: coffee 7.00 → 0.64, cake 0.36, burger 12.00 → 1.09, soup (5.00 − 0.50) → 0.41;
    # at 20 %: wine (6.00 − 0.60) → 0.90
    assert report["tax_by_rate"] == {"10.00": 250, "20.00": 90}
    assert report["discounts"] == {"count": 1, "amount": 110}
    assert report["voids"] == {"count": 1, "amount": 200}
    assert report["currency"] == "EUR"


def test_a_tip_given_with_the_order_is_in_the_tips_of_the_tender_that_took_it(location, cashier, terminal):
    # given a drawer opened with 50.00
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("50.00"))
    take = {"location": location, "staff": cashier, "terminal": terminal, "type": "TAKEAWAY"}
    # order D: coffee 4.00 with a 1.00 tip given when ordering, paid 5.00 in cash
    d = order_create(lines=[line(item(location, "4.00"))], tip=Decimal("1.00"), **take)
    payment_add(order=d, staff=cashier, tender=Tender.CASH, amount=Decimal("5.00"))
    # order E: sandwich 8.00 with a 2.00 tip when ordering; 9.00 by card (the food and 1.00 of the tip),
    # then the last 1.00 in cash with 0.50 more tip
    e = order_create(lines=[line(item(location, "8.00"))], tip=Decimal("2.00"), **take)
    payment_add(order=e, staff=cashier, tender=Tender.CARD, amount=Decimal("9.00"))
    payment_add(order=e, staff=cashier, tender=Tender.CASH, amount=Decimal("1.00"), tip=Decimal("0.50"))

    # when the drawer is closed with what it should hold
    shift = shift_close(shift=shift, staff=cashier, counted_cash=Decimal("56.50"))

    # then, by hand: sales by tender are the food; every tip appears once, under the tender that took it
    report = shift.z_report
    assert report["tenders"] == {
        "CASH": {"count": 2, "amount": 400, "tips": 250},
        "CARD": {"count": 1, "amount": 800, "tips": 100},
        "OTHER": {"count": 0, "amount": 0, "tips": 0},
    }
    assert report["tips_total"] == 350  # 1.00 + 2.00 given with the orders, 0.50 with a payment
    # the drawer: 50.00 + 5.00 (order D) + 1.50 (order E) = 56.50, no variance
    assert (report["expected_cash"], report["variance"]) == (5650, 0)
    assert report["sales"]["total"] == 1550


def test_after_the_close_money_goes_to_the_next_shift(location, cashier, manager, terminal):
    # given a card sale in a shift that is then closed
    first = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("50.00"))
    order = order_create(
        location=location, staff=cashier, terminal=terminal, type="TAKEAWAY", lines=[line(item(location, "12.00"))]
    )
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("6.00"))
    shift_close(shift=first, staff=cashier, counted_cash=Decimal("50.00"))
    # then nothing more goes into it
    order = Order.objects.select_related("location").get(pk=order.pk)
    refused(
        "shift.closed", payment_add, order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("1"), shift=first
    )
    refused("shift.required", payment_add, order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("1"))
    # and a refund after the close lands in the terminal's current shift
    second = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("50.00"))
    refund = payment_refund(payment=payment, staff=manager, amount=Decimal("2.00"), reason="overcharged")
    assert refund.shift == second
    first.refresh_from_db()
    assert first.z_report["refunds_total"] == 0 and first.z_report["tenders"]["CARD"]["amount"] == 600


def test_a_cash_refund_with_no_open_drawer_is_refused(location, cashier, manager, terminal):
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("0"))
    order = order_create(
        location=location, staff=cashier, terminal=terminal, type="TAKEAWAY", lines=[line(item(location, "3.00"))]
    )
    payment = payment_add(order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("3.00"))
    shift_close(shift=shift, staff=cashier, counted_cash=Decimal("3.00"))
    refused("shift.required", payment_refund, payment=payment, staff=manager, amount=Decimal("1.00"), reason="x")


def test_the_drawer_rules(location, cashier, terminal):
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("10.00"))
    refused("shift.already_open", shift_open, terminal=terminal, staff=cashier, opening_float=Decimal("0"))
    refused("validation.invalid_amount", shift_cash_move, shift=shift, staff=cashier, amount=Decimal("0"), reason="x")
    refused("validation.required", shift_cash_move, shift=shift, staff=cashier, amount=Decimal("1"), reason="")
    shift_close(shift=shift, staff=cashier, counted_cash=Decimal("10.00"))
    refused("shift.closed", shift_close, shift=shift, staff=cashier, counted_cash=Decimal("10.00"))
    refused("shift.closed", shift_cash_move, shift=shift, staff=cashier, amount=Decimal("1"), reason="x")
    assert shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("10.00")).is_open


def test_who_may_move_cash_and_what_a_refused_move_says(location, cashier, manager, terminal):
    # given a drawer a manager opened on the till, and a cashier working at that till
    shift = shift_open(terminal=terminal, staff=manager, opening_float=Decimal("50.00"))
    move = {"shift": shift, "staff": cashier, "terminal": terminal}

    # when the cashier puts coins in from the till, the movement is theirs with its reason
    coins = shift_cash_move(amount=Decimal("5.00"), reason="coins", **move)
    assert (coins.amount, coins.reason, coins.staff) == (Decimal("5.00"), "coins", cashier)

    # then off the till it is the opener's or a manager's drawer
    elsewhere = refused("shift.not_yours", shift_cash_move, shift=shift, staff=cashier, amount=Decimal("5"), reason="x")
    assert elsewhere.message == "Moving cash belongs to the shift's own terminal, the one who opened it, or a manager."
    # and a zero amount, a blank reason and one of 201 characters each name their field
    zero = refused("validation.invalid_amount", shift_cash_move, amount=Decimal("0"), reason="x", **move)
    blank = refused("validation.required", shift_cash_move, amount=Decimal("1"), reason=" ", **move)
    long = refused("validation.invalid_text", shift_cash_move, amount=Decimal("1"), reason="x" * 201, **move)
    assert [(error.status, error.fields) for error in (zero, blank, long)] == [
        (400, {"amount": ["The amount cannot be zero."]}),
        (400, {"reason": ["This is required."]}),
        (400, {"reason": ["Text of at most 200 characters."]}),
    ]
    assert shift_cash_move(amount=Decimal("1"), reason="x" * 200, **move).reason == "x" * 200


def test_a_cash_movement_is_in_the_currencys_own_minor_units():
    # given a drawer in yen (no minor unit)
    location = LocationFactory(currency="JPY")
    manager = staff(location, Role.MANAGER)
    shift = shift_open(terminal=TerminalFactory(location=location), staff=manager, opening_float=Decimal("5000"))

    # when half a yen is put in, then it is refused; 500 yen is taken
    half = refused("validation.invalid_amount", shift_cash_move, shift=shift, staff=manager, amount="0.5", reason="x")
    assert half.fields == {"amount": ["At most 0 decimal places."]}
    assert shift_cash_move(shift=shift, staff=manager, amount="500", reason="x").amount == Decimal("500")


def test_a_z_report_in_dinars_counts_every_refund_void_and_discount():
    # given a drawer in Bahrain (1,000 fils to the dinar, UTC+3) opened with 10.000
    location = LocationFactory(currency="BHD", time_zone="Asia/Bahrain", tax_mode="INCLUSIVE")
    manager = staff(location, Role.MANAGER)
    terminal = TerminalFactory(location=location)
    shift = shift_open(terminal=terminal, staff=manager, opening_float=Decimal("10.000"))
    take = {"location": location, "staff": manager, "terminal": terminal, "type": "TAKEAWAY"}
    # two orders: 2.000 and a voided 1.000 (no tax), 0.500 off, 1.500 paid in cash, 0.250 of it refunded
    for _ in range(2):
        order = order_create(
            lines=[line(item(location, "2.000", "0.00")), line(item(location, "1.000", "0.00"))], **take
        )
        voided = order.lines.get(unit_price=Decimal("1.000"))
        order = order_line_void(order=order, line=voided, staff=manager, reason="mistake", version=order.version)
        order = order_discount_set(
            order=order, staff=manager, amount=Decimal("0.500"), reason="regular", version=order.version
        )
        cash = payment_add(order=order, staff=manager, tender=Tender.CASH, amount=Decimal("1.500"))
        payment_refund(payment=cash, staff=manager, amount=Decimal("0.250"), reason="cold")
    # 0.500 of coins come in and 0.300 goes out
    shift_cash_move(shift=shift, staff=manager, amount=Decimal("0.500"), reason="coins")
    shift_cash_move(shift=shift, staff=manager, amount=Decimal("-0.300"), reason="bank")

    # when the drawer is closed with 12.700 counted
    shift = shift_close(shift=shift, staff=manager, counted_cash=Decimal("12.700"))

    # then, in fils: expected 10.000 + 3.000 − 0.500 + 0.500 − 0.300 = 12.700
    report = shift.z_report
    assert {key: report[key] for key in ("currency", "shift_id", "terminal_id", "opening_float")} == {
        "currency": "BHD", "shift_id": shift.pk, "terminal_id": terminal.pk, "opening_float": 10000,
    }  # fmt: skip
    assert report["opened_at"].endswith("+03:00") and report["closed_at"].endswith("+03:00")
    assert (report["tenders"]["CASH"], report["refunds"]["CASH"]) == (
        {"count": 2, "amount": 3000, "tips": 0},
        {"count": 2, "amount": 500},
    )
    assert (report["cash_in"], report["cash_out"], report["expected_cash"], report["variance"]) == (500, 300, 12700, 0)
    assert report["sales"] == {"orders": 2, "subtotal": 4000, "discount_total": 1000, "tax_total": 0, "total": 3000}
    assert (report["discounts"], report["voids"]) == ({"count": 2, "amount": 1000}, {"count": 2, "amount": 2000})


def test_a_z_report_in_dinars_keeps_every_fils_of_each_figure():
    # given a Bahrain drawer whose every figure ends in a fils a cent would round away
    location = LocationFactory(currency="BHD", tax_mode="INCLUSIVE")
    manager = staff(location, Role.MANAGER)
    terminal = TerminalFactory(location=location)
    shift = shift_open(terminal=terminal, staff=manager, opening_float=Decimal("10.000"))
    order = order_create(
        lines=[line(item(location, "2.125", "0.00")), line(item(location, "1.115", "0.00"))],
        location=location, staff=manager, terminal=terminal, type="TAKEAWAY",
    )  # fmt: skip
    voided = order.lines.get(unit_price=Decimal("1.115"))
    order = order_line_void(order=order, line=voided, staff=manager, reason="mistake", version=order.version)
    cash = payment_add(order=order, staff=manager, tender=Tender.CASH, amount=Decimal("2.125"), tip=Decimal("0.011"))
    payment_refund(payment=cash, staff=manager, amount=Decimal("0.125"), reason="cold")
    shift_cash_move(shift=shift, staff=manager, amount=Decimal("0.005"), reason="coins")
    shift_cash_move(shift=shift, staff=manager, amount=Decimal("-0.015"), reason="bank")

    # when it closes
    report = shift_close(shift=shift, staff=manager, counted_cash=Decimal("12.001")).z_report

    # then each figure is in fils, none rounded to a cent
    sales = report["sales"]
    assert (sales["subtotal"], sales["total"], report["voids"]["amount"]) == (2125, 2136, 1115)  # total: with the tip
    assert (report["tenders"]["CASH"]["tips"], report["refunds"]["CASH"]["amount"]) == (11, 125)
    assert (report["cash_in"], report["cash_out"]) == (5, 15)
    assert report["tenders"]["CASH"]["amount"] == 2125


def test_a_refund_lands_in_the_payments_drawer_while_it_is_open_else_in_its_tills_next_one(location, cashier, manager):
    # given an order taken at the counter till, paid 9.00 in cash into the bar till's drawer
    counter, bar = TerminalFactory(location=location), TerminalFactory(location=location)
    counter_drawer = shift_open(terminal=counter, staff=cashier, opening_float=Decimal("20.00"))
    bar_drawer = shift_open(terminal=bar, staff=cashier, opening_float=Decimal("20.00"))
    order = order_create(
        location=location, staff=cashier, terminal=counter, type="TAKEAWAY", lines=[line(item(location, "9.00"))]
    )
    payment = payment_add(order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("9.00"), shift=bar_drawer)
    refund = {"payment": payment, "staff": manager, "amount": Decimal("1.00"), "reason": "short"}

    # when 1.00 is refunded while the bar drawer is open, then it comes out of the bar drawer
    assert payment_refund(**refund).shift == bar_drawer
    # when the bar drawer is closed and the next one opened, then the next refund comes out of the bar's new drawer
    shift_close(shift=bar_drawer, staff=cashier, counted_cash=Decimal("28.00"))
    next_bar_drawer = shift_open(terminal=bar, staff=cashier, opening_float=Decimal("20.00"))
    assert payment_refund(**refund).shift == next_bar_drawer
    # and with no drawer open at the bar, cash is not taken from the counter's (still open) drawer
    shift_close(shift=next_bar_drawer, staff=cashier, counted_cash=Decimal("19.00"))
    error = refused("shift.required", payment_refund, **refund)
    assert (error.status, error.message) == (409, "Cash comes out of a drawer: open a shift first.")
    assert counter_drawer.is_open and not counter_drawer.refunds.exists()
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("2.00")


def test_who_may_close_a_drawer_and_what_a_refused_close_says(location, cashier, manager, terminal):
    # given a drawer a manager opened on the till
    shift = shift_open(terminal=terminal, staff=manager, opening_float=Decimal("50.00"))

    # when a cashier closes it off the till, then it is refused and says who may
    error = refused("shift.not_yours", shift_close, shift=shift, staff=cashier, counted_cash=Decimal("50.00"))
    assert (error.status, error.message) == (
        403,
        "Closing a shift belongs to the shift's own terminal, the one who opened it, or a manager.",
    )
    # and a cashier working at that till may close it
    closed = shift_close(shift=shift, staff=cashier, counted_cash=Decimal("50.00"), terminal=terminal)
    assert (closed.closed_by, closed.counted_cash, closed.variance, closed.is_open) == (
        cashier,
        Decimal("50.00"),
        Decimal("0.00"),
        False,
    )


def test_the_cash_counted_at_the_close_is_in_the_currencys_own_minor_units():
    # given a drawer in yen (no minor unit) opened with 5000
    location = LocationFactory(currency="JPY")
    manager = staff(location, Role.MANAGER)
    shift = shift_open(terminal=TerminalFactory(location=location), staff=manager, opening_float=Decimal("5000"))

    # when 4999.5 yen is counted, then it is refused on `counted_cash`
    half = refused("validation.invalid_amount", shift_close, shift=shift, staff=manager, counted_cash="4999.5")
    assert (half.status, half.fields) == (400, {"counted_cash": ["At most 0 decimal places."]})
    # and 4990 closes the drawer 10 short
    closed = shift_close(shift=shift, staff=manager, counted_cash="4990")
    assert (closed.counted_cash, closed.expected_cash, closed.variance) == (
        Decimal("4990"),
        Decimal("5000"),
        Decimal("-10"),
    )


def test_only_front_of_house_staff_may_open_a_shift_and_a_refusal_says_who(location, terminal):
    # given a kitchen hand at the location
    cook = staff(location, Role.KITCHEN)

    # when they open the till's drawer, then it is refused and names the roles that may
    error = refused("permission.denied", shift_open, terminal=terminal, staff=cook, opening_float=Decimal("50.00"))
    assert (error.status, error.message) == (403, "Opening a shift needs CASHIER or MANAGER or OWNER at this location.")
    assert not terminal.shifts.exists()


def test_a_shift_opens_only_on_an_active_point_of_sale_terminal(location, cashier):
    # given a revoked till and a kitchen display, both at the location
    revoked = TerminalFactory(location=location, revoked_at=timezone.now())
    kitchen = TerminalFactory(location=location, kind=Terminal.Kind.KITCHEN)

    # when a drawer is opened on either, then it is refused on `terminal` and says why
    errors = [
        refused("shift.invalid_terminal", shift_open, terminal=device, staff=cashier, opening_float=Decimal("50.00"))
        for device in (revoked, kitchen)
    ]
    message = "Shifts belong to an active point-of-sale terminal."
    assert [(error.status, error.message, error.fields) for error in errors] == [
        (400, message, {"terminal": [message]}),
        (400, message, {"terminal": [message]}),
    ]
    assert not revoked.shifts.exists() and not kitchen.shifts.exists()


def test_the_opening_float_is_in_the_currencys_own_minor_units():
    # given a till in yen (no minor unit)
    location = LocationFactory(currency="JPY")
    manager, terminal = staff(location, Role.MANAGER), TerminalFactory(location=location)

    # when a drawer is opened with 5000.5 yen, then it is refused on `opening_float`
    half = refused("validation.invalid_amount", shift_open, terminal=terminal, staff=manager, opening_float="5000.5")
    assert (half.status, half.fields) == (400, {"opening_float": ["At most 0 decimal places."]})
    # and with 5000 it opens
    assert shift_open(terminal=terminal, staff=manager, opening_float="5000").opening_float == Decimal("5000")


def test_a_second_shift_on_a_till_is_refused_and_says_why(location, cashier, manager, terminal):
    # given a drawer open on the till
    first = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("50.00"))

    # when a manager opens another on it, then it is a conflict that says why
    error = refused("shift.already_open", shift_open, terminal=terminal, staff=manager, opening_float=Decimal("0"))
    assert (error.status, error.message) == (409, "This terminal already has an open shift.")
    assert list(terminal.shifts.all()) == [first]


def test_a_closed_drawer_takes_no_cash_and_closes_once_and_a_refusal_says_so(location, cashier, terminal):
    # given a drawer opened and closed on the till
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("10.00"))
    shift_close(shift=shift, staff=cashier, counted_cash=Decimal("10.00"))

    # when cash is put into it or it is closed again, then each is a conflict that says the shift is closed
    move = refused("shift.closed", shift_cash_move, shift=shift, staff=cashier, amount=Decimal("1"), reason="x")
    again = refused("shift.closed", shift_close, shift=shift, staff=cashier, counted_cash=Decimal("10.00"))
    assert [(error.status, error.message) for error in (move, again)] == [
        (409, "This shift is already closed."),
        (409, "This shift is already closed."),
    ]
    assert not shift.cash_movements.exists()


def test_a_manager_moves_cash_in_a_drawer_someone_else_opened_off_its_till(location, cashier, manager, terminal):
    # given a drawer a cashier opened on the till
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("50.00"))

    # when a manager, in the back office, takes 20.00 out for the bank
    banked = shift_cash_move(shift=shift, staff=manager, amount=Decimal("-20.00"), reason="bank")

    # then it is the manager's movement
    assert (banked.amount, banked.reason, banked.staff) == (Decimal("-20.00"), "bank", manager)


def test_only_front_of_house_staff_move_cash_and_a_refusal_says_who(location, cashier, terminal):
    # given a drawer open on the till, and a kitchen hand at the location
    shift = shift_open(terminal=terminal, staff=cashier, opening_float=Decimal("50.00"))
    cook = staff(location, Role.KITCHEN)

    # when the cook takes cash out at the till, then it is refused and names the roles that may
    move = {"shift": shift, "staff": cook, "amount": Decimal("-5.00"), "reason": "x", "terminal": terminal}
    error = refused("permission.denied", shift_cash_move, **move)
    assert (error.status, error.message) == (403, "Moving cash needs CASHIER or MANAGER or OWNER at this location.")
    assert not shift.cash_movements.exists()
