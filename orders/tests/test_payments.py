"""Payments, refunds, receipts and split checks."""

from decimal import Decimal

import pytest
from prometheus_client import REGISTRY

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.models import Event
from menu.tests.factories import MenuItemFactory
from orders.models import Order, OrderStatus, PaymentStatus, StatusChange, Tender
from orders.services import (
    order_create,
    order_discount_set,
    order_split_by_lines,
    order_split_even,
    order_status_set,
    payment_add,
    payment_refund,
    shift_close,
)
from orders.tests.assertions import refused
from orders.tests.factories import OrderFactory, ShiftFactory, line, order_at_status

pytestmark = pytest.mark.django_db


def reload(order: Order) -> Order:
    return Order.objects.select_related("location").get(pk=order.pk)


def priced_order(location, cashier, *prices: str, terminal=None, **fields) -> Order:
    lines = [line(MenuItemFactory(location=location, price=Decimal(price))) for price in prices]
    return order_create(location=location, staff=cashier, terminal=terminal, type="TAKEAWAY", lines=lines, **fields)


def payments_counted(location, method: str, outcome: str) -> float:
    """The `cafepos_payments_total` sample of one location, method and outcome (0 before the first)."""
    labels = {"location": str(location.pk), "method": method, "outcome": outcome}
    return REGISTRY.get_sample_value("cafepos_payments_total", labels) or 0.0


def test_a_card_may_not_pay_more_than_is_due(location, cashier):
    order = priced_order(location, cashier, "8.00")
    refused(
        "payment.exceeds_balance", payment_add, order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("8.01")
    )
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("8.00"), card_last4="4242")
    assert (payment.amount, payment.card_last4, reload(order).payment_status) == (
        Decimal("8.00"),
        "4242",
        PaymentStatus.PAID,
    )


def test_cash_above_the_balance_gives_change(location, cashier, terminal):
    # given an 8.00 order taken on a till with an open drawer
    ShiftFactory(terminal=terminal)
    order = priced_order(location, cashier, "8.00", terminal=terminal)
    # when the guest hands over a 20 note
    payment = payment_add(order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("20.00"))
    # then 8.00 is paid and 12.00 given back
    assert (payment.amount, payment.tendered, payment.change_due) == (
        Decimal("8.00"),
        Decimal("20.00"),
        Decimal("12.00"),
    )
    assert reload(order).balance_due == 0


def test_cash_tendered_below_what_is_paid_is_refused(location, cashier, terminal):
    ShiftFactory(terminal=terminal)
    order = priced_order(location, cashier, "8.00", terminal=terminal)
    pay = {"order": order, "staff": cashier, "tender": Tender.CASH, "amount": Decimal("8.00")}
    refused("payment.insufficient_tendered", payment_add, tendered=Decimal("7.99"), **pay)
    assert payment_add(tendered=Decimal("10.00"), tip=Decimal("1.00"), **pay).change_due == Decimal("1.00")


def test_cash_needs_an_open_shift(location, cashier):
    order = priced_order(location, cashier, "8.00")
    error = refused(
        "shift.required", payment_add, order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("8.00")
    )
    assert (error.status, error.message) == (409, "Cash goes into a drawer: open a shift first.")
    assert not order.payments.exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"amount": Decimal("1.005")}, "validation.invalid_amount"),
        ({"amount": 1.5}, "validation.invalid_amount"),
        ({"amount": Decimal("0")}, "validation.invalid_amount"),
        ({"amount": Decimal("1"), "tip": Decimal("-1")}, "validation.invalid_amount"),
        ({"amount": Decimal("1"), "tender": "BITCOIN"}, "payment.invalid_tender"),
        ({"amount": Decimal("1"), "card_last4": "42x2"}, "payment.invalid_card"),
        ({"amount": Decimal("1"), "tender": Tender.OTHER, "card_last4": "4242"}, "payment.invalid_card"),
        ({"amount": Decimal("1"), "tendered": Decimal("5")}, "payment.invalid_tendered"),
    ],
)
def test_bad_payment_input_is_refused(location, cashier, fields, code):
    order = priced_order(location, cashier, "8.00")
    refused(code, payment_add, **{"order": order, "staff": cashier, "tender": Tender.CARD, **fields})
    assert not order.payments.exists()


def test_a_tip_adds_to_the_total_and_to_what_was_paid(location, cashier):
    order = priced_order(location, cashier, "8.00")
    payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("8.00"), tip=Decimal("1.50"))
    order = reload(order)
    assert (order.tip_total, order.total, order.paid_total, order.balance_due) == (
        Decimal("1.50"),
        Decimal("9.50"),
        Decimal("9.50"),
        Decimal("0"),
    )


def test_payment_status_follows_payments_and_refunds(location, cashier, manager):
    order = priced_order(location, cashier, "10.00")
    statuses = [reload(order).payment_status]
    first = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("4.00"))
    statuses.append(reload(order).payment_status)
    second = payment_add(order=order, staff=cashier, tender=Tender.OTHER, amount=Decimal("6.00"), reference="V-1")
    statuses.append(reload(order).payment_status)
    payment_refund(payment=first, staff=manager, amount=Decimal("4.00"), reason="wrong card")
    statuses.append(reload(order).payment_status)
    payment_refund(payment=second, staff=manager, amount=Decimal("6.00"), reason="voucher back")
    statuses.append(reload(order).payment_status)
    assert statuses == ["UNPAID", "PARTIALLY_PAID", "PAID", "PARTIALLY_REFUNDED", "REFUNDED"]
    assert (reload(order).paid_total, reload(order).refunded_total) == (Decimal("0"), Decimal("10.00"))


def test_a_refund_needs_a_manager_and_at_most_what_the_payment_left(location, cashier, manager, owner):
    order = priced_order(location, cashier, "10.00")
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("10.00"), tip=Decimal("1"))
    refund = {"payment": payment, "reason": "cold coffee"}
    refused("permission.denied", payment_refund, staff=cashier, amount=Decimal("1.00"), **refund)
    refused("refund.exceeds_payment", payment_refund, staff=manager, amount=Decimal("11.01"), **refund)
    refused("validation.required", payment_refund, staff=manager, amount=Decimal("1.00"), payment=payment, reason="")
    payment_refund(staff=manager, amount=Decimal("6.00"), **refund)
    refused("refund.exceeds_payment", payment_refund, staff=owner, amount=Decimal("5.01"), **refund)
    payment_refund(staff=owner, amount=Decimal("5.00"), **refund)
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("11.00")
    assert list(Event.objects.filter(type="order.refunded").values_list("data__refund__amount", flat=True)) == [
        600,
        500,
    ]


def test_receipt_numbers_count_up_per_location_once_an_order_is_fully_paid(location, cashier, manager):
    first, second = priced_order(location, cashier, "5.00"), priced_order(location, cashier, "5.00")
    payment_add(order=second, staff=cashier, tender=Tender.CARD, amount=Decimal("2.00"))
    assert reload(second).receipt_number is None
    payment = payment_add(order=second, staff=cashier, tender=Tender.CARD, amount=Decimal("3.00"))
    payment_add(order=first, staff=cashier, tender=Tender.CARD, amount=Decimal("5.00"))
    elsewhere = OrderFactory()
    payment_add(order=elsewhere, staff=elsewhere.staff, tender=Tender.CARD, amount=elsewhere.total)
    # a refund keeps the number: it is never reused
    payment_refund(payment=payment, staff=manager, amount=Decimal("3.00"), reason="x")
    third = priced_order(location, cashier, "1.00")
    payment_add(order=third, staff=cashier, tender=Tender.CARD, amount=Decimal("1.00"))
    numbers = [reload(o).receipt_number for o in (second, first, third, elsewhere)]
    assert numbers == [1, 2, 3, 1]


def test_nothing_is_taken_for_a_paid_or_cancelled_order(location, cashier):
    paid = priced_order(location, cashier, "5.00")
    payment_add(order=paid, staff=cashier, tender=Tender.CARD, amount=Decimal("5.00"))
    error = refused(
        "payment.nothing_due", payment_add, order=paid, staff=cashier, tender=Tender.CARD, amount=Decimal("1")
    )
    assert (error.status, error.message) == (409, "Nothing is left to pay on this order.")
    cancelled = priced_order(location, cashier, "5.00")
    order_status_set(order=cancelled, staff=cashier, status="CANCELLED", version=1)
    refused("order.closed", payment_add, order=cancelled, staff=cashier, tender=Tender.CARD, amount=Decimal("1"))


def test_an_even_split_differs_by_at_most_one_cent(location, cashier):
    order = priced_order(location, cashier, "10.00")
    checks = order_split_even(order=order, parts=3)
    assert [(c.check_number, c.amount) for c in checks] == [
        (1, Decimal("3.34")),
        (2, Decimal("3.33")),
        (3, Decimal("3.33")),
    ]
    refused("order.invalid_split", order_split_even, order=order, parts=1)


def test_an_even_split_takes_2_to_20_whole_checks(location, cashier):
    # given a 10.00 order
    order = priced_order(location, cashier, "10.00")
    # when split in two or twenty, then the checks are equal
    assert [c.amount for c in order_split_even(order=order, parts=2)] == [Decimal("5.00")] * 2
    assert [c.amount for c in order_split_even(order=order, parts=20)] == [Decimal("0.50")] * 20
    # and 21 checks, or a number that is not a whole one, are refused on the `parts` field
    for parts in (21, "3", 2.0, True):
        error = refused("order.invalid_split", order_split_even, order=order, parts=parts)
        assert (error.status, error.fields) == (400, {"parts": ["Split into 2 to 20 checks."]})


def test_a_split_by_items_adds_up_to_the_total_and_payments_reference_the_checks():
    # given prices before tax: 6.00 at 10 % and 4.00 at 20 %, a 1.00 discount and a 0.90 tip
    location = LocationFactory(tax_mode="EXCLUSIVE")
    cashier = staff(location, Role.CASHIER)
    soup = MenuItemFactory(location=location, price=Decimal("6.00"), tax_rate=Decimal("10.00"))
    wine = MenuItemFactory(location=location, price=Decimal("4.00"), tax_rate=Decimal("20.00"))
    order = order_create(
        location=location,
        staff=cashier,
        type="TAKEAWAY",
        lines=[line(soup), line(wine)],
        discount={"amount": Decimal("1.00"), "reason": "regular"},
        tip=Decimal("0.90"),
    )
    soup_line, wine_line = order.lines.get(name=soup.name), order.lines.get(name=wine.name)
    # when split one item per check
    checks = order_split_by_lines(order=order, groups=[[soup_line.pk], [wine_line.pk]])
    # then soup pays 6.00 − 0.60 + 0.54 tax = 5.94 and wine 4.00 − 0.40 + 0.72 = 4.32, and the tip is
    # shared in that proportion: 0.90 × 5.94 / 10.26 = 0.521 → 0.52 and 0.38
    assert [(c.check_number, c.amount, c.line_ids) for c in checks] == [
        (1, Decimal("6.46"), (soup_line.pk,)),
        (2, Decimal("4.70"), (wine_line.pk,)),
    ]
    assert sum(c.amount for c in checks) == order.total == Decimal("11.16")
    for check in checks:
        payment_add(
            order=order, staff=cashier, tender=Tender.CARD, amount=check.amount, check_number=check.check_number
        )
    assert reload(order).payment_status == PaymentStatus.PAID
    assert sorted(order.payments.values_list("check_number", flat=True)) == [1, 2]


def test_a_split_by_items_must_place_every_item_once(location, cashier):
    order = priced_order(location, cashier, "1.00", "2.00")
    a, b = order.lines.values_list("pk", flat=True)
    for groups in ([[a]], [[a], [a, b]], [[a], []], [[a], [b, 999]], "ab"):
        refused("order.invalid_split", order_split_by_lines, order=order, groups=groups)


def test_a_split_by_items_puts_every_item_in_exactly_one_of_2_to_20_checks(location, cashier):
    # given an order of twenty 1.00 items
    order = priced_order(location, cashier, *["1.00"] * 20)
    ids = list(order.lines.order_by("pk").values_list("pk", flat=True))
    # when each item is a check of its own, then there are twenty checks of 1.00
    checks = order_split_by_lines(order=order, groups=[[pk] for pk in ids])
    assert [(c.check_number, c.amount) for c in checks][::19] == [(1, Decimal("1.00")), (20, Decimal("1.00"))]
    # and one check, an empty one, an id that is not a whole number or 21 checks are refused on `groups`
    for groups in ([ids], [ids, []], [ids[:-1], [str(ids[-1])]], [[pk] for pk in ids] + [[]], "all"):
        error = refused("order.invalid_split", order_split_by_lines, order=order, groups=groups)
        assert (error.status, error.fields) == (400, {"groups": ["Put every item of the order in exactly one check."]})


def test_a_split_by_items_comes_before_any_payment(location, cashier):
    # given an order with part of it paid by card
    order = priced_order(location, cashier, "4.00", "6.00")
    payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("4.00"))
    ids = list(order.lines.order_by("pk").values_list("pk", flat=True))
    # when it is split by items, then it is refused
    error = refused("order.split_after_payment", order_split_by_lines, order=reload(order), groups=[[i] for i in ids])
    assert (error.status, error.message) == (409, "Split by items before taking any payment.")


def test_a_refused_refund_names_its_field_and_says_why(location, cashier, manager):
    # given a 10.00 card payment with a 1.00 tip: 11.00 can be given back
    order = priced_order(location, cashier, "10.00")
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("10.00"), tip=Decimal("1"))
    refund = {"payment": payment, "staff": manager}

    # when a cashier refunds, or a manager refunds nothing, too much, with no reason or with 201 characters of one
    cashier_refund = refused(
        "permission.denied", payment_refund, payment=payment, staff=cashier, amount=Decimal("1"), reason="x"
    )
    nothing = refused("validation.invalid_amount", payment_refund, amount=Decimal("0"), reason="x", **refund)
    too_much = refused("refund.exceeds_payment", payment_refund, amount=Decimal("11.01"), reason="x", **refund)
    blank = refused("validation.required", payment_refund, amount=Decimal("1"), reason=" ", **refund)
    long = refused("validation.invalid_text", payment_refund, amount=Decimal("1"), reason="x" * 201, **refund)

    # then each says who or what is wrong, and nothing was given back
    assert (cashier_refund.status, cashier_refund.message) == (
        403,
        "Refunding needs MANAGER or OWNER at this location.",
    )
    assert [(error.status, error.fields) for error in (nothing, too_much, blank, long)] == [
        (400, {"amount": ["The amount must be more than zero."]}),
        (400, {"amount": ["At most 11.00 of this payment can be refunded."]}),
        (400, {"reason": ["This is required."]}),
        (400, {"reason": ["Text of at most 200 characters."]}),
    ]
    assert too_much.message == "At most 11.00 of this payment can be refunded."
    assert not payment.refunds.exists()
    # and a reason of 200 characters is taken
    assert payment_refund(amount=Decimal("1"), reason="x" * 200, **refund).reason == "x" * 200


def test_a_refund_is_in_the_currencys_own_minor_units():
    # given a 2.000 dinar card payment (1,000 fils to the dinar)
    location = LocationFactory(currency="BHD")
    cashier, manager = staff(location, Role.CASHIER), staff(location, Role.MANAGER)
    order = priced_order(location, cashier, "2.000")
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("2.000"))

    # when 0.125 is refunded, then it is taken to the fils, and a ten-thousandth is refused
    refund = payment_refund(payment=payment, staff=manager, amount=Decimal("0.125"), reason="cold")
    assert refund.amount == Decimal("0.125")
    assert (reload(order).paid_total, reload(order).refunded_total) == (Decimal("1.875"), Decimal("0.125"))
    error = refused(
        "validation.invalid_amount", payment_refund, payment=payment, staff=manager, amount="0.0001", reason="x"
    )
    assert error.fields == {"amount": ["At most 3 decimal places."]}
    # and what is left is said to the fils
    too_much = refused("refund.exceeds_payment", payment_refund, payment=payment, staff=manager, amount="2", reason="x")
    assert too_much.message == "At most 1.875 of this payment can be refunded."


def test_a_card_refund_goes_back_through_the_gateway_tip_included(location, cashier, manager, owner, gateway):
    # given a 10.00 card payment with a 1.50 tip, charged through the gateway as "fake-1"
    order = priced_order(location, cashier, "10.00")
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("10.00"), tip=Decimal("1.50"))
    receipt = reload(order).receipt_number

    # when a manager gives back 4.00, then the owner the remaining 7.50 (the tip with it)
    first = payment_refund(payment=payment, staff=manager, amount=Decimal("4.00"), reason="cold coffee")
    order = reload(order)
    after_first = (order.paid_total, order.refunded_total, order.payment_status)
    second = payment_refund(payment=payment, staff=owner, amount=Decimal("7.50"), reason="left")

    # then the gateway was asked for each amount against the charge, and each refund keeps its reference
    assert gateway.refunds == [
        (location.pk, Decimal("4.00"), "EUR", "fake-1"),
        (location.pk, Decimal("7.50"), "EUR", "fake-1"),
    ]
    assert [(r.amount, r.staff, r.reason, r.terminal_reference) for r in (first, second)] == [
        (Decimal("4.00"), manager, "cold coffee", "fake-1-refund"),
        (Decimal("7.50"), owner, "left", "fake-1-refund"),
    ]
    # and the order went from 11.50 paid to 7.50 paid, then to all of it refunded, keeping its receipt number
    order = reload(order)
    assert after_first == (Decimal("7.50"), Decimal("4.00"), PaymentStatus.PARTIALLY_REFUNDED)
    assert (order.paid_total, order.refunded_total, order.payment_status) == (
        Decimal("0.00"),
        Decimal("11.50"),
        PaymentStatus.REFUNDED,
    )
    assert order.receipt_number == receipt is not None
    payment.refresh_from_db()
    assert (payment.refunded_amount, payment.refundable) == (Decimal("11.50"), Decimal("0.00"))
    # and each refund's event names the payment it came from and the amount, in cents
    events = Event.objects.filter(type="order.refunded").order_by("seq")
    assert list(events.values_list("data__payment__id", "data__refund__amount")) == [
        (payment.pk, 400),
        (payment.pk, 750),
    ]


@pytest.mark.parametrize(("said", "message"), [("", "The refund was declined."), ("Card expired", "Card expired")])
def test_a_declined_card_refund_gives_nothing_back(location, cashier, manager, gateway, said, message):
    # given a 6.00 card payment, and a gateway that declines refunds saying `said`
    order = priced_order(location, cashier, "6.00")
    payment = payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("6.00"))
    gateway.refund_declined = said

    # when 2.00 of it is refunded
    error = refused("refund.declined", payment_refund, payment=payment, staff=manager, amount="2.00", reason="x")

    # then the refusal says why, and the payment and the order are as they were
    assert (error.status, error.message) == (402, message)
    payment.refresh_from_db()
    assert (payment.refunded_amount, payment.refunds.count()) == (Decimal("0.00"), 0)
    assert (reload(order).paid_total, reload(order).refunded_total) == (Decimal("6.00"), Decimal("0.00"))


def test_a_cash_refund_comes_out_of_the_drawer_without_the_gateway(location, cashier, manager, terminal, gateway):
    # given a 5.00 cash payment into an open drawer
    drawer = ShiftFactory(terminal=terminal)
    order = priced_order(location, cashier, "5.00", terminal=terminal)
    payment = payment_add(order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("5.00"))

    # when 1.20 is given back
    refund = payment_refund(payment=payment, staff=manager, amount=Decimal("1.20"), reason="short")

    # then it comes out of that drawer, with no card reference and no call to the gateway
    assert (refund.amount, refund.shift, refund.terminal_reference, gateway.refunds) == (
        Decimal("1.20"),
        drawer,
        "",
        [],
    )


def test_a_refund_counts_once_in_the_payments_metric_after_commit(
    location, cashier, manager, terminal, django_capture_on_commit_callbacks
):
    # given a 5.00 cash payment into an open drawer
    ShiftFactory(terminal=terminal)
    order = priced_order(location, cashier, "5.00", terminal=terminal)
    payment = payment_add(order=order, staff=cashier, tender=Tender.CASH, amount=Decimal("5.00"))
    before = payments_counted(location, "CASH", "refunded")

    # when part of it is refunded and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        payment_refund(payment=payment, staff=manager, amount=Decimal("1.20"), reason="short")

    # then the location's cash refunds count one more
    assert payments_counted(location, "CASH", "refunded") == before + 1


def test_cash_handed_over_must_cover_the_amount_and_the_tip(location, cashier, terminal):
    # given an 8.00 order on a till with an open drawer
    ShiftFactory(terminal=terminal)
    order = priced_order(location, cashier, "8.00", terminal=terminal)
    pay = {"order": order, "staff": cashier, "tender": Tender.CASH, "amount": Decimal("8.00"), "tip": Decimal("1.00")}

    # when 8.50 is handed over for 8.00 and a 1.00 tip, then it is refused on `tendered`
    short = refused("payment.insufficient_tendered", payment_add, tendered=Decimal("8.50"), **pay)
    message = "Less cash was handed over than is paid."
    assert (short.status, short.message, short.fields) == (400, message, {"tendered": [message]})
    # and 9.00 pays it with no change
    payment = payment_add(tendered=Decimal("9.00"), **pay)
    assert (payment.amount, payment.tip, payment.tendered, payment.change_due) == (
        Decimal("8.00"),
        Decimal("1.00"),
        Decimal("9.00"),
        Decimal("0.00"),
    )


def test_a_card_above_the_balance_is_refused_with_what_is_due_in_the_currencys_own_places():
    # given an 8.000 dinar order (1,000 fils to the dinar, prices include tax)
    location = LocationFactory(currency="BHD", tax_mode="INCLUSIVE")
    cashier = staff(location, Role.CASHIER)
    order = priced_order(location, cashier, "8.000")

    # when 8.001 is taken by card, then it is refused on `amount` and says what is due
    error = refused(
        "payment.exceeds_balance", payment_add, order=order, staff=cashier, tender=Tender.CARD, amount="8.001"
    )
    assert (error.status, error.message, error.fields) == (
        400,
        "Only 8.000 BHD is due.",
        {"amount": ["Only 8.000 BHD is due."]},
    )
    assert not order.payments.exists()


def test_money_goes_only_into_an_open_shift_of_the_orders_location(location, cashier, terminal):
    # given an 8.00 order, a drawer open at another location and one closed at this one
    order = priced_order(location, cashier, "8.00", terminal=terminal)
    elsewhere = ShiftFactory()
    closed = ShiftFactory(terminal=terminal)
    shift_close(shift=closed, staff=closed.opened_by, counted_cash=Decimal("100.00"))
    pay = {"order": order, "staff": cashier, "tender": Tender.CARD, "amount": Decimal("8.00")}

    # when it is paid into the other location's drawer, then it is refused on `shift`
    foreign = refused("shift.invalid", payment_add, shift=elsewhere, **pay)
    message = "This shift belongs to another location."
    assert (foreign.status, foreign.message, foreign.fields) == (400, message, {"shift": [message]})
    # and into the closed drawer, it is a conflict that says to open a new one
    late = refused("shift.closed", payment_add, shift=closed, **pay)
    assert (late.status, late.message) == (409, "This shift is closed; open a new one.")
    assert not order.payments.exists()


def test_a_card_charged_while_the_order_changed_is_voided_and_refused(location, cashier, gateway):
    # given an 8.00 order, and a discount of 0.50 given while 5.00 of it is charged to a card
    order = priced_order(location, cashier, "8.00")

    def discount():
        current = reload(order)
        order_discount_set(
            order=current, staff=cashier, amount=Decimal("0.50"), reason="regular", version=current.version
        )

    gateway.during_charge = discount

    # when the charge comes back, then the payment is refused (5.00 still applies, but to another order)
    error = refused(
        "payment.order_changed", payment_add, order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("5.00")
    )
    assert (error.status, error.message) == (
        409,
        "The order changed while the card was charged; the charge is voided, take the payment again.",
    )
    # and the charge is voided, with nothing paid
    assert (gateway.charges, gateway.voids) == (["fake-1"], ["fake-1"])
    assert (order.payments.exists(), reload(order).paid_total, reload(order).balance_due) == (
        False,
        Decimal("0.00"),
        Decimal("7.50"),
    )


def test_a_voucher_payment_keeps_its_reference_and_is_announced(location, cashier):
    # given a 6.00 order
    order = priced_order(location, cashier, "6.00")

    # when it is paid with voucher V-1
    payment = payment_add(order=order, staff=cashier, tender=Tender.OTHER, amount=Decimal("6.00"), reference="V-1")

    # then the payment keeps the reference, and one `order.paid` event names the payment, its reference and amount
    payment.refresh_from_db()
    assert payment.reference == "V-1"
    events = Event.objects.filter(type="order.paid")
    assert list(events.values_list("data__payment__id", "data__payment__reference", "data__payment__amount")) == [
        (payment.pk, "V-1", 600)
    ]


def test_the_last_payment_of_a_served_order_completes_it_in_the_payers_name(location, cashier, manager):
    # given a served order
    order = order_at_status("SERVED", location=location, staff=cashier)

    # when a manager takes its last payment
    payment_add(order=order, staff=manager, tender=Tender.CARD, amount=order.balance_due)

    # then the system completed it, recorded with the manager who took the payment
    change = StatusChange.objects.get(subject="ORDER", subject_id=order.pk, to_status=OrderStatus.COMPLETED)
    assert (change.from_status, change.automatic, change.changed_by) == (OrderStatus.SERVED, True, manager)


def test_a_payment_counts_once_in_the_payments_metric_after_commit(
    location, cashier, django_capture_on_commit_callbacks
):
    # given a 5.00 order
    order = priced_order(location, cashier, "5.00")
    before = payments_counted(location, "CARD", "captured")

    # when it is paid by card and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=Decimal("5.00"))

    # then the location's captured card payments count one more
    assert payments_counted(location, "CARD", "captured") == before + 1
