"""As a property: whatever a cashier does (create, add, void, discount, pay, in any order),
no order ends with a discount above the location's threshold that no manager approved, nor an amount discount
above the subtotal. Runs the services themselves on the test database."""

import contextlib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.exceptions import ApplicationError
from menu.tests.factories import MenuItemFactory
from orders.models import DiscountApproval, Order
from orders.services import order_create, order_discount_set, order_line_void, order_lines_add, payment_add
from orders.services.discounts import discount_share
from orders.tests.factories import line

pytestmark = pytest.mark.django_db

THRESHOLD = Decimal("10.00")
AMOUNTS = st.sampled_from([Decimal("0.50"), Decimal("1.00"), Decimal("2.00")])
PERCENTS = st.sampled_from([Decimal("5"), Decimal("10"), Decimal("25")])
DISCOUNTS = st.one_of(
    st.none(),
    AMOUNTS.map(lambda a: {"amount": a, "reason": "r"}),
    PERCENTS.map(lambda p: {"percent": p, "reason": "r"}),
)


class CashierAtTheTill(RuleBasedStateMachine):
    cafe: dict  # set by the test: location, cashier, items

    orders = Bundle("orders")

    def __init__(self):
        super().__init__()
        self.created = []  # this run's orders: the database keeps earlier runs' until the test ends

    def fresh(self, order_id: int) -> Order:
        return Order.objects.select_related("location").get(pk=order_id)

    def attempt(self, call, **kwargs):
        with contextlib.suppress(ApplicationError):  # a refusal changes nothing; the invariant checks what stays
            call(staff=self.cafe["cashier"], **kwargs)

    @rule(target=orders, quantities=st.lists(st.integers(1, 3), min_size=1, max_size=3), discount=DISCOUNTS)
    def create(self, quantities, discount):
        items = self.cafe["items"]
        lines = [line(items[i % len(items)], quantity) for i, quantity in enumerate(quantities)]
        try:
            order = order_create(
                location=self.cafe["location"],
                staff=self.cafe["cashier"],
                type="TAKEAWAY",
                lines=lines,
                discount=discount,
            )
        except ApplicationError:
            return -1
        self.created.append(order.pk)
        return order.pk

    @rule(order_id=orders, item=st.integers(0, 1), quantity=st.integers(1, 9))
    def add(self, order_id, item, quantity):
        if order_id > 0:
            order = self.fresh(order_id)
            lines = [line(self.cafe["items"][item], quantity)]
            self.attempt(order_lines_add, order=order, lines=lines, version=order.version)

    @rule(order_id=orders, which=st.integers(0, 5))
    def void(self, order_id, which):
        if order_id > 0:
            order = self.fresh(order_id)
            lines = list(order.lines.filter(voided=False).order_by("pk"))
            if lines:
                line_ = lines[which % len(lines)]
                self.attempt(order_line_void, order=order, line=line_, reason="x", version=order.version)

    @rule(order_id=orders, discount=DISCOUNTS)
    def discount(self, order_id, discount):
        if order_id > 0:
            order = self.fresh(order_id)
            self.attempt(order_discount_set, order=order, version=order.version, **(discount or {"reason": ""}))

    @rule(order_id=orders, amount=st.sampled_from([Decimal("1.00"), Decimal("5.00")]))
    def pay(self, order_id, amount):
        if order_id > 0:
            self.attempt(payment_add, order=self.fresh(order_id), tender="OTHER", amount=amount)

    @invariant()
    def no_unapproved_discount_above_the_threshold(self):
        for order in Order.objects.filter(pk__in=self.created):
            if order.discount_amount is None and order.discount_percent is None:
                continue
            if order.discount_amount is not None:
                assert order.discount_amount <= order.subtotal, order.pk
            share = discount_share(order.subtotal, amount=order.discount_amount, percent=order.discount_percent)
            assert share <= THRESHOLD, (order.pk, share)  # only a manager could approve more, and none did
        assert not DiscountApproval.objects.filter(order__in=self.created).exists()


def test_a_cashier_never_leaves_an_unapproved_discount_above_the_threshold():
    location = LocationFactory(currency="EUR", discount_approval_percent=THRESHOLD)
    CashierAtTheTill.cafe = {
        "location": location,
        "cashier": staff(location, Role.CASHIER),
        "items": [
            MenuItemFactory(location=location, price=Decimal("10.00")),
            MenuItemFactory(location=location, price=Decimal("2.00")),
        ],
    }
    run_state_machine_as_test(
        CashierAtTheTill,
        settings=settings(
            max_examples=40, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
