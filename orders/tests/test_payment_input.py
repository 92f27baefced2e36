"""What a payment may be given: each refused input names its field and says why (what the API returns and the
till shows beside the field), and what is accepted is kept as typed, in the currency's own minor units."""

from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from menu.tests.factories import MenuItemFactory
from orders.models import Tender
from orders.services import order_split_even, payment_add
from orders.tests.assertions import refused
from orders.tests.factories import OrderFactory, ShiftFactory, line

pytestmark = pytest.mark.django_db

TENDERS = "The tender is one of CASH, CARD, OTHER."
NOT_A_NUMBER = "A decimal number is required."
TOO_LARGE = "At most 100,000,000 in either direction."
CHECKS = "A check number from 1 to 20."
NOT_CARD = "Card details belong to a card payment."


@pytest.mark.parametrize(
    ("fields", "code", "field", "message"),
    [
        ({"tender": "BITCOIN"}, "payment.invalid_tender", "tender", TENDERS),
        ({"amount": Decimal("1.005")}, "validation.invalid_amount", "amount", "At most 2 decimal places."),
        ({"amount": True}, "validation.invalid_amount", "amount", NOT_A_NUMBER),
        ({"amount": 1.5}, "validation.invalid_amount", "amount", NOT_A_NUMBER),
        ({"amount": "one"}, "validation.invalid_amount", "amount", NOT_A_NUMBER),
        ({"amount": "NaN"}, "validation.invalid_amount", "amount", TOO_LARGE),
        ({"amount": "100000000.01"}, "validation.invalid_amount", "amount", TOO_LARGE),
        ({"tip": "-100000000.01"}, "validation.invalid_amount", "tip", TOO_LARGE),
        ({"tip": Decimal("-0.50")}, "validation.invalid_amount", "tip", "The amount cannot be negative."),
        ({"tendered": Decimal("5.005")}, "validation.invalid_amount", "tendered", "At most 2 decimal places."),
        ({"tendered": Decimal("5.00")}, "payment.invalid_tendered", "tendered", "Only cash is tendered."),
        ({"card_last4": "42424"}, "validation.invalid_text", "card_last4", "Text of at most 4 characters."),
        ({"card_last4": "42x2"}, "payment.invalid_card", "card_last4", "Only the last four digits of the card."),
        (
            {"terminal_reference": "T" * 101},
            "validation.invalid_text",
            "terminal_reference",
            "Text of at most 100 characters.",
        ),
        ({"reference": "R" * 101}, "validation.invalid_text", "reference", "Text of at most 100 characters."),
        ({"tender": Tender.OTHER, "card_last4": "4242"}, "payment.invalid_card", "card_last4", NOT_CARD),
        ({"tender": Tender.OTHER, "terminal_reference": "T-1"}, "payment.invalid_card", "card_last4", NOT_CARD),
        ({"check_number": 0}, "payment.invalid_check", "check_number", CHECKS),
        ({"check_number": 21}, "payment.invalid_check", "check_number", CHECKS),
        ({"check_number": True}, "payment.invalid_check", "check_number", CHECKS),
        ({"check_number": "1"}, "payment.invalid_check", "check_number", CHECKS),
    ],
)
def test_a_refused_payment_names_its_field_and_says_why(fields, code, field, message):
    # given a 3.50 EUR order
    order = OrderFactory(location=LocationFactory(currency="EUR"))

    # when 1.00 of it is paid by card (or as `fields` say) with one bad input
    pay = {"order": order, "staff": order.staff, "tender": Tender.CARD, "amount": Decimal("1.00"), **fields}
    error = refused(code, payment_add, **pay)

    # then the refusal names the field and says why, and nothing is paid
    assert (error.status, error.message, error.fields) == (400, message, {field: [message]})
    assert not order.payments.exists()


def test_only_front_of_house_staff_take_a_payment():
    # given an order
    order = OrderFactory()

    # when the cook takes a payment, then it is refused and says who may
    cook = staff(order.location, Role.KITCHEN)
    error = refused("permission.denied", payment_add, order=order, staff=cook, tender=Tender.CARD, amount="1.00")
    assert (error.status, error.message) == (
        403,
        "Taking a payment needs CASHIER or MANAGER or OWNER at this location.",
    )
    assert not order.payments.exists()


def test_a_card_payment_keeps_what_the_counter_terminal_printed_and_no_reference_unless_given():
    # given an order, paid on the counter's card terminal (recorded as the cashier types it in)
    order = OrderFactory()

    # when its 2.00 is paid with the terminal's reference and the card's last four digits
    payment = payment_add(
        order=order, staff=order.staff, tender=Tender.CARD, amount="2.00", card_last4="4242", terminal_reference="T-77"
    )

    # then the payment keeps both, and has no reference of its own
    payment.refresh_from_db()
    assert (payment.card_last4, payment.terminal_reference, payment.reference) == ("4242", "T-77", "")


def test_a_payment_may_pay_the_twentieth_split_check():
    # given a 20.00 order split into 20 checks of 1.00
    item = MenuItemFactory(price=Decimal("20.00"))
    order = OrderFactory(location=item.location, lines=[line(item)])
    checks = order_split_even(order=order, parts=20)

    # when the last check is paid
    payment = payment_add(order=order, staff=order.staff, tender=Tender.CARD, amount=checks[-1].amount, check_number=20)

    # then the payment says which check it paid
    payment.refresh_from_db()
    assert (payment.check_number, payment.amount) == (20, Decimal("1.00"))


def test_a_cash_tip_and_the_cash_handed_over_are_in_the_currencys_own_minor_units():
    # given an 8.000 dinar order (1,000 fils to the dinar) on a till with an open drawer
    location = LocationFactory(currency="BHD", tax_mode="INCLUSIVE")
    terminal = TerminalFactory(location=location)
    ShiftFactory(terminal=terminal)
    item = MenuItemFactory(location=location, price=Decimal("8.000"))
    order = OrderFactory(location=location, terminal=terminal, lines=[line(item)])

    # when it is paid in cash with a 0.125 tip and 10.005 handed over
    payment = payment_add(
        order=order, staff=order.staff, tender=Tender.CASH, amount="8.000", tip="0.125", tendered="10.005"
    )

    # then tip, cash and change are kept to the fils
    assert (payment.amount, payment.tip, payment.tendered, payment.change_due) == (
        Decimal("8.000"),
        Decimal("0.125"),
        Decimal("10.005"),
        Decimal("1.880"),
    )
