"""On the POS: a tip above the location's `max_tip_percent` of the amount a payment applies brings up the
manager-PIN fieldset in the payment dialog; without the PIN the page refuses to charge, with it the payment is
recorded. A tip at the cap needs nobody. Chromium against a live uvicorn (fixtures in conftest.py)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.models import Payment
from orders.services import order_create
from orders.tests.factories import ShiftFactory, line

from .pos_browser import WAIT_MS, open_register

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def open_payment(pos, server, cafe):
    """An open drawer and an 8.00 toast order, its payment dialog open on the orders page."""
    ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier)
    order = order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=[line(cafe.toast)])
    open_register(pos, server, cafe, path=f"/pos/orders/?order={order.pk}")
    pos.locator("[data-pay]").click()
    return order, pos.locator("[data-pay-dialog]")


def test_a_tip_above_the_cap_is_charged_with_a_managers_pin_and_one_at_the_cap_without(pos, asgi_server, pos_cafe):
    # Given a location whose tips above 20% of the amount need a manager, and an 8.00 order to pay
    pos_cafe.location.max_tip_percent = Decimal("20.00")
    pos_cafe.location.save(update_fields=["max_tip_percent"])
    order, pay = open_payment(pos, asgi_server, pos_cafe)
    approval = pay.locator("[data-approval]")

    # When half is paid with a tip of exactly 20% of it, then nobody approves and the payment is recorded
    pay.locator("[data-pay-amount]").fill("4.00")
    pay.locator("[data-pay-tip]").fill("0.80")
    expect(approval).to_be_hidden()
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-due]")).to_have_text("€4.00", timeout=WAIT_MS)
    assert [p.tip for p in Payment.objects.filter(order=order)] == [Decimal("0.80")]

    # When the rest comes with a tip one cent above 20% of it, the manager is asked for before charging
    pay.locator("[data-pay-tip]").fill("0.81")
    expect(approval).to_be_visible()
    expect(approval).to_contain_text("A tip above 20.00% of the amount needs a manager's PIN.")
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-error]")).to_contain_text("choose the manager and enter their PIN")
    assert Payment.objects.filter(order=order).count() == 1

    # And a wrong PIN is refused by the server with its message, the PIN cleared for the next try
    approval.locator("[data-approval-manager]").select_option(label="Max Manager")
    approval.get_by_label("Manager’s PIN").fill("9999")
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-error]")).to_have_text("Wrong PIN. 4 tries left.", timeout=WAIT_MS)
    expect(approval.get_by_label("Manager’s PIN")).to_have_value("")
    assert Payment.objects.filter(order=order).count() == 1

    # Then with the manager's PIN the payment is recorded with its tip
    for digit in "1357":
        approval.locator(f'[data-approval-keypad] [data-key="{digit}"]').click()
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-done]")).to_be_visible(timeout=WAIT_MS)
    assert [p.tip for p in Payment.objects.filter(order=order).order_by("pk")] == [Decimal("0.80"), Decimal("0.81")]


def test_a_tip_the_page_thought_small_is_approved_when_the_server_asks(pos, asgi_server, pos_cafe):
    # Given the page was loaded while tips up to 100% needed nobody, and the cap dropped to 10% since
    order, pay = open_payment(pos, asgi_server, pos_cafe)
    pos_cafe.location.max_tip_percent = Decimal("10.00")
    pos_cafe.location.save(update_fields=["max_tip_percent"])

    # When the cashier charges 8.00 with a 2.00 tip
    pay.locator("[data-pay-tip]").fill("2.00")
    expect(pay.locator("[data-approval]")).to_be_hidden()
    pay.locator("[data-pay-charge]").click()

    # Then the server's refusal brings up the manager's approval, and with their PIN the payment is recorded
    expect(pay.locator("[data-pay-error]")).to_contain_text("needs a manager's approval", timeout=WAIT_MS)
    expect(pay.locator("[data-approval]")).to_be_visible()
    assert not Payment.objects.filter(order=order).exists()
    pay.locator("[data-approval-manager]").select_option(label="Max Manager")
    pay.get_by_label("Manager’s PIN").fill("1357")
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-done]")).to_be_visible(timeout=WAIT_MS)
    assert Payment.objects.get(order=order).tip == Decimal("2.00")
