"""On the POS: voiding an item that would lift the discount above the approval threshold
brings up the manager-PIN fieldset the discount dialog uses; with the manager's PIN the void goes through and is
recorded. Chromium against a live uvicorn (fixtures in conftest.py)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.models import DiscountApproval, Order, OrderLine
from orders.services import order_create
from orders.tests.factories import line

from .pos_browser import WAIT_MS, open_register

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_void_refused_for_the_discount_is_approved_with_a_managers_pin(pos, asgi_server, pos_cafe):
    # Given 8.00 + 2.00 with 1.00 off (10 %: the cashier's own limit), the toast voided would make it 50 %
    lines = [line(pos_cafe.toast), line(pos_cafe.croissant)]
    discount = {"amount": Decimal("1.00"), "reason": "Regular"}
    order = order_create(
        location=pos_cafe.location, staff=pos_cafe.cashier, type="TAKEAWAY", lines=lines, discount=discount
    )
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/?order={order.pk}")
    toast = OrderLine.objects.get(order=order, name="Toast")

    # When the cashier voids the toast
    pos.locator(f'[data-void-line="{toast.pk}"]').click()
    dialog = pos.locator("[data-void-dialog]")
    dialog.get_by_label("Reason").fill("Guest changed mind")
    dialog.locator("[data-void-confirm]").click()

    # Then the server refuses it and a manager is asked for
    expect(dialog.locator("[data-void-error]")).to_contain_text("manager", timeout=WAIT_MS)
    expect(dialog.locator("[data-approval]")).to_be_visible()
    assert not OrderLine.objects.filter(order=order, voided=True).exists()

    # And with the manager's PIN the same void goes through, recorded
    dialog.locator("[data-approval-manager]").select_option(label="Max Manager")
    for digit in "1357":
        dialog.locator(f'[data-approval-keypad] [data-key="{digit}"]').click()
    dialog.locator("[data-void-confirm]").click()
    expect(dialog).to_be_hidden(timeout=WAIT_MS)
    expect(pos.locator('[data-total="total"]')).to_have_text("€1.00", timeout=WAIT_MS)
    assert Order.objects.get(pk=order.pk).subtotal == Decimal("2.00")
    [approval] = DiscountApproval.objects.all()
    assert (approval.approved_by, approval.share, approval.cause) == (pos_cafe.manager, Decimal("50.0000"), "VOID")
