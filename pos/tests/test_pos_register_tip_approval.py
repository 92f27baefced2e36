"""On the POS register: a cart tip above the location's `max_tip_percent` of the order's total before the tip
brings up the manager-PIN fieldset in the Tip dialog; without the PIN the page refuses it, with it the order is
created with that tip. The PIN stays in the page's memory. Chromium against a live uvicorn (conftest.py)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.models import Order

from .pos_browser import WAIT_MS, add_item, expect_confirmed_total, open_register

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def set_tip(pos, amount):
    pos.get_by_role("button", name="Tip").click()
    dialog = pos.locator("[data-tip-dialog]")
    dialog.locator("[data-tip-value]").fill(amount)
    return dialog


def approve(dialog):
    dialog.locator("[data-approval-manager]").select_option(label="Max Manager")
    for digit in "1357":
        dialog.locator(f'[data-approval-keypad] [data-key="{digit}"]').click()
    dialog.locator("[data-tip-apply]").click()
    expect(dialog).to_be_hidden()


def test_a_tip_above_the_cap_needs_a_managers_pin_and_one_at_the_cap_does_not(pos, asgi_server, pos_cafe):
    # Given a location whose tips above 20% of the order need a manager, and two 8.00 toasts in the cart
    pos_cafe.location.max_tip_percent = Decimal("20.00")
    pos_cafe.location.save(update_fields=["max_tip_percent"])
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    add_item(pos, "Food", "Toast")
    expect_confirmed_total(pos, "€16.00")

    # When the cashier sets a tip of exactly 20%, then nobody is asked for
    tip = set_tip(pos, "3.20")
    expect(tip.locator("[data-approval]")).to_be_hidden()
    tip.locator("[data-tip-apply]").click()
    expect_confirmed_total(pos, "€19.20")
    expect(pos.locator("[data-cart-problem]")).to_be_hidden()

    # When a toast is taken off, the same tip is above 20% of the order: sending asks for the manager
    pos.locator(".line", has_text="Toast").locator("[data-dec]").click()
    expect(pos.locator("[data-cart-problem]")).to_have_text("The tip needs a manager's approval: open Tip.")
    pos.locator("[data-send]").click()
    expect(tip).to_be_visible()
    expect(tip.locator("[data-approval]")).to_contain_text("A tip above 20.00% of the order needs a manager's PIN.")

    # And applying it without the PIN is refused in the page
    tip.locator("[data-tip-apply]").click()
    expect(tip.locator("[data-tip-error]")).to_contain_text("choose the manager and enter their PIN")
    expect(tip).to_be_visible()

    # Then with the manager's PIN the tip is applied, the device keeps the approval without the PIN
    approve(tip)
    expect_confirmed_total(pos, "€11.20")
    stored = pos.evaluate("JSON.stringify(CafePOS.store.cartLoad())")
    assert '"tip_approval":{"manager_id"' in stored and "1357" not in stored

    # And the order is created with that tip
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent · Takeaway · €11.20", timeout=WAIT_MS)
    order = Order.objects.get()
    assert (order.tip_total, order.total) == (Decimal("3.20"), Decimal("11.20"))


def test_a_tip_the_server_refuses_opens_the_tip_dialog_for_a_managers_pin(pos, asgi_server, pos_cafe):
    # Given the page was loaded while tips up to 100% needed nobody, and the cap dropped to 10% since
    open_register(pos, asgi_server, pos_cafe)
    pos_cafe.location.max_tip_percent = Decimal("10.00")
    pos_cafe.location.save(update_fields=["max_tip_percent"])
    add_item(pos, "Food", "Toast")
    tip = set_tip(pos, "2.00")
    expect(tip.locator("[data-approval]")).to_be_hidden()
    tip.locator("[data-tip-apply]").click()
    expect_confirmed_total(pos, "€10.00")

    # When the order is sent, the server's refusal opens the Tip dialog with the manager's approval
    pos.locator("[data-send]").click()
    expect(tip.locator("[data-approval]")).to_be_visible(timeout=WAIT_MS)
    expect(pos.locator("[data-cart-problem]")).to_contain_text("needs a manager's approval")
    assert not Order.objects.exists()

    # Then with the manager's PIN the order is created with its tip
    approve(tip)
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent · Takeaway · €10.00", timeout=WAIT_MS)
    assert Order.objects.get().tip_total == Decimal("2.00")
