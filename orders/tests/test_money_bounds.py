"""Money past the column: every amount and every order total stays within `MONEY_MAX`, and
sums over many orders (a drawer, a day) fit their wider columns, so hostile amounts are a 400, never a 500."""

from decimal import Decimal

import pytest

from accounts.tests.api import api_as
from accounts.tests.factories import paired_terminal
from cafepos.money import MONEY_MAX
from menu.tests.factories import MenuItemFactory
from orders.models import CashMovement
from orders.tests.factories import OrderFactory, ShiftFactory, line
from orders.tests.test_api import cart, error, post

pytestmark = pytest.mark.django_db

HUGE = 9999999999999  # minor units: 99,999,999,999.99 EUR, under the old per-input limit


@pytest.fixture
def coffee(location):
    return MenuItemFactory(location=location, price=Decimal("3.50"))


def test_a_huge_tip_on_a_payment_is_a_400(cashier, coffee):
    order = OrderFactory(location=coffee.location, staff=cashier, lines=[line(coffee)])

    refused = post(
        api_as(cashier), f"/api/v1/orders/{order.pk}/payments/", {"tender": "CARD", "amount": 1, "tip": HUGE}
    )

    assert error(refused, 400)["fields"].keys() == {"tip"}
    order.refresh_from_db()
    assert order.paid_total == 0


def test_a_huge_tip_on_a_new_order_is_a_400(cashier, coffee):
    refused = post(api_as(cashier), "/api/v1/orders/", cart(coffee, tip=HUGE))

    assert error(refused, 400)["fields"].keys() == {"tip"}


def test_an_amount_past_decimal_precision_is_a_400_on_a_quote(cashier, coffee):
    refused = post(api_as(cashier), "/api/v1/orders/quote/", cart(coffee, tip=10**28))

    assert error(refused, 400)["fields"].keys() == {"tip"}


def test_a_huge_cash_movement_is_refused_and_the_drawer_still_closes(location, cashier):
    terminal, _ = paired_terminal(location=location)
    till = api_as(cashier, terminal=terminal)
    shift = post(till, "/api/v1/shifts/", {"opening_float": 10000}).json()

    moved = post(till, f"/api/v1/shifts/{shift['id']}/cash-movements/", {"amount": HUGE, "reason": "Float"})
    closed = post(till, f"/api/v1/shifts/{shift['id']}/close/", {"counted_cash": 10000})

    assert error(moved, 400)["fields"].keys() == {"amount"}
    assert closed.status_code == 200, closed.content[:300]
    assert (closed.json()["expected_cash"], closed.json()["variance"]) == (10000, 0)


def test_a_drawer_whose_sum_passes_one_amount_column_still_closes(location, cashier, terminal):
    # given more cash movements of the largest amount than one money column could add up
    shift = ShiftFactory(terminal=terminal, staff=cashier, opening_float=Decimal("0"))
    count = 1001  # 1001 × 10**8 > 10**11, what numeric(14,3) holds
    CashMovement.objects.bulk_create(
        CashMovement(shift=shift, amount=MONEY_MAX, reason="Float", staff=cashier) for _ in range(count)
    )

    closed = post(api_as(cashier), f"/api/v1/shifts/{shift.pk}/close/", {"counted_cash": 0})

    assert closed.status_code == 200, closed.content[:300]
    shift.refresh_from_db()
    assert shift.expected_cash == MONEY_MAX * count
    assert shift.variance == -MONEY_MAX * count


def test_one_line_past_the_cap_is_a_400(cashier, location):
    dear = MenuItemFactory(location=location, price=MONEY_MAX / 2)

    refused = post(api_as(cashier), "/api/v1/orders/", cart(dear, quantity=3))

    assert error(refused, 400)["code"] == "order.total_too_large"


def test_an_order_total_past_the_cap_is_a_400(cashier, location):
    dear = MenuItemFactory(location=location, price=MONEY_MAX * 3 / 4)
    body = {"type": "TAKEAWAY", "items": [{"menu_item_id": dear.pk, "quantity": 1}] * 2}

    refused = post(api_as(cashier), "/api/v1/orders/", body)

    assert error(refused, 400)["code"] == "order.total_too_large"


def test_a_tip_that_takes_the_order_past_the_cap_is_a_400(manager, location):
    dear = MenuItemFactory(location=location, price=MONEY_MAX * 3 / 4)
    order = OrderFactory(location=location, staff=manager, lines=[line(dear)])
    amount = int(order.balance_due * 100)

    refused = post(
        api_as(manager), f"/api/v1/orders/{order.pk}/payments/", {"tender": "CARD", "amount": amount, "tip": amount}
    )

    assert error(refused, 400)["code"] == "order.total_too_large"
    order.refresh_from_db()
    assert order.paid_total == 0
