"""On the POS Orders screen (/pos/orders/<id>/ opens one): refund a paid order in full, by items or by an amount
to the tender it was paid with (a manager's, or a cashier with a manager's PIN), void a sent item, cancel with a
reason, reprint and email the receipt, find an order by its number or receipt number, and offline the buttons
that need the server say so. Chromium against a live uvicorn (fixtures in conftest.py)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from delivery.models import EmailDelivery
from orders.models import Order, OrderLine, Refund, StatusChange
from orders.services import order_create, payment_add
from orders.tests.factories import line
from testing.axe import assert_accessible

from .pos_browser import WAIT_MS, in_a_thread, open_register, outbox_pill

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def sent_order(cafe):
    """Toast (8.00, to the kitchen) and a croissant (2.00, 5.5 % tax), sent."""
    items = [line(cafe.toast), line(cafe.croissant)]
    return order_create(location=cafe.location, staff=cafe.cashier, type="TAKEAWAY", lines=items)


def paid_order(cafe):
    order = sent_order(cafe)
    payment_add(order=order, staff=cafe.cashier, tender="CARD", amount=order.total)
    return Order.objects.get(pk=order.pk)


def refund_dialog(page):
    page.locator("[data-refund]").click()
    dialog = page.locator("[data-refund-dialog]")
    expect(dialog.locator("[data-refund-summary]")).not_to_be_empty(timeout=WAIT_MS)
    return dialog


def approve(dialog, manager="Max Manager", pin="1357"):
    dialog.locator("[data-approval-manager]").select_option(label=manager)
    for digit in pin:
        dialog.locator(f'[data-approval-keypad] [data-key="{digit}"]').click()


def test_a_cashier_refunds_in_full_with_a_managers_pin(pos, asgi_server, pos_cafe):
    order = paid_order(pos_cafe)
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/{order.pk}/")

    dialog = refund_dialog(pos)
    expect(dialog.locator("[data-refund-summary]")).to_have_text("Refund €10.00 to Card")
    dialog.get_by_label("Reason").fill("Wrong order")
    dialog.locator("[data-refund-confirm]").click()
    expect(dialog.locator("[data-refund-error]")).to_contain_text("manager", timeout=WAIT_MS)
    assert not Refund.objects.exists()

    approve(dialog)
    dialog.locator("[data-refund-confirm]").click()

    expect(dialog).to_be_hidden(timeout=WAIT_MS)
    expect(pos.locator(".detail-head .chip.pay-refunded")).to_have_text("Refunded")
    [refund] = Refund.objects.all()
    assert (refund.amount, refund.staff, refund.reason) == (Decimal("10.00"), pos_cafe.manager, "Wrong order")


def test_a_manager_refunds_by_items_and_by_an_amount(pos, asgi_server, pos_cafe):
    order = paid_order(pos_cafe)
    open_register(pos, asgi_server, pos_cafe, user=pos_cafe.manager, path=f"/pos/orders/{order.pk}/")

    # By items: the croissant's 2.00 back to the card, no PIN asked of a manager
    dialog = refund_dialog(pos)
    expect(dialog.locator("[data-approval]")).to_be_hidden()
    dialog.get_by_role("button", name="By items").click()
    dialog.get_by_label("1× Croissant · €2.00").check()
    expect(dialog.locator("[data-refund-summary]")).to_have_text("Refund €2.00 to Card")
    dialog.get_by_label("Reason").fill("Stale")
    dialog.locator("[data-refund-confirm]").click()
    expect(dialog).to_be_hidden(timeout=WAIT_MS)
    expect(pos.locator(".detail-head .chip.pay-partially_refunded")).to_be_visible()

    # By an amount: 1.50 more, and the card has 6.50 left to give back
    dialog = refund_dialog(pos)
    dialog.get_by_role("button", name="An amount").click()
    expect(dialog.locator("[data-refund-payment] option")).to_have_text(["Card · €8.00 refundable"])
    dialog.get_by_label("Amount").fill("1.50")
    expect(dialog.locator("[data-refund-summary]")).to_have_text("Refund €1.50 to Card")
    dialog.get_by_label("Reason").fill("Goodwill")
    dialog.locator("[data-refund-confirm]").click()
    expect(dialog).to_be_hidden(timeout=WAIT_MS)

    assert sorted(Refund.objects.values_list("amount", flat=True)) == [Decimal("1.50"), Decimal("2.00")]
    assert Order.objects.get(pk=order.pk).refunded_total == Decimal("3.50")


def test_a_sent_item_is_voided_and_an_order_cancelled_with_a_reason(pos, asgi_server, pos_cafe):
    order = sent_order(pos_cafe)
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/{order.pk}/")
    toast = OrderLine.objects.get(order=order, name="Toast")

    pos.locator(f'[data-void-line="{toast.pk}"]').click()
    void = pos.locator("[data-void-dialog]")
    void.get_by_label("Reason").fill("Burnt")
    void.locator("[data-void-confirm]").click()
    expect(void).to_be_hidden(timeout=WAIT_MS)
    expect(pos.locator(".detail-line.is-void")).to_contain_text("Toast")
    assert OrderLine.objects.get(pk=toast.pk).void_reason == "Burnt"

    pos.locator("[data-cancel]").click()
    cancel = pos.locator("[data-cancel-dialog]")
    cancel.locator("[data-cancel-confirm]").click()
    expect(cancel.locator("[data-cancel-error]")).to_have_text("Give a reason for cancelling.")
    cancel.get_by_label("Reason").fill("Guest left")
    cancel.locator("[data-cancel-confirm]").click()
    expect(cancel).to_be_hidden(timeout=WAIT_MS)
    expect(pos.locator("[data-order-status]")).to_have_attribute("data-order-status", "CANCELLED")
    change = StatusChange.objects.get(subject="ORDER", subject_id=order.pk, to_status="CANCELLED")
    assert (change.reason, change.changed_by) == ("Guest left", pos_cafe.cashier)


def test_the_detail_shows_each_tax_rate_and_the_receipt_is_reprinted_and_emailed(pos, asgi_server, pos_cafe):
    order = paid_order(pos_cafe)
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/{order.pk}/")

    # Prices include tax: 8.00 at 10 % holds 0.73, 2.00 at 5.5 % holds 0.10
    taxes = pos.locator(".totals-row", has=pos.locator('[data-total^="tax-"]'))
    expect(taxes).to_have_text(["Tax 5.5% incl.€0.10", "Tax 10% incl.€0.73"])

    pos.locator("[data-email]").click()
    dialog = pos.locator("[data-email-dialog]")
    dialog.get_by_label("Email address").fill("not an address")
    dialog.locator("[data-email-confirm]").click()
    expect(dialog.locator("[data-email-error]")).to_be_visible(timeout=WAIT_MS)
    dialog.get_by_label("Email address").fill("guest@example.com")
    dialog.locator("[data-email-confirm]").click()
    expect(dialog).to_be_hidden(timeout=WAIT_MS)
    assert EmailDelivery.objects.get(kind="RECEIPT").to == "guest@example.com"

    pos.get_by_role("link", name="Reprint receipt").click()
    expect(pos.locator("[data-print]")).to_be_visible(timeout=WAIT_MS)
    assert f"/pos/orders/{order.pk}/receipt/" in pos.url


def test_an_order_is_found_by_its_number_or_receipt_number(pos, asgi_server, pos_cafe):
    paid = paid_order(pos_cafe)
    other = sent_order(pos_cafe)
    open_register(pos, asgi_server, pos_cafe, path="/pos/orders/")
    expect(pos.locator("[data-order-detail]")).to_have_text("Choose an order on the left to see it here.")
    search = pos.locator("[data-order-search]")

    search.get_by_role("textbox", name="Number").fill(other.display_number)
    search.get_by_role("button", name="Find").click()
    expect(pos.get_by_role("tab", name="Found")).to_have_attribute("aria-selected", "true", timeout=WAIT_MS)
    expect(pos.locator(".detail-head h2")).to_contain_text(other.display_number)

    search.get_by_label("Find by").select_option(label="Receipt")
    search.get_by_role("textbox", name="Number").fill(str(paid.receipt_number))
    search.get_by_label("When").select_option(label="Last 7 days")
    search.get_by_role("button", name="Find").click()
    expect(pos.locator(".detail-head h2")).to_contain_text(paid.display_number, timeout=WAIT_MS)
    expect(pos.locator("[data-order-list] .order-row")).to_have_count(1)

    search.get_by_role("textbox", name="Number").fill("12; drop table")
    search.get_by_role("button", name="Find").click()
    expect(search.locator("[data-search-error]")).to_have_text("Enter a number, like 12 or #0012.", timeout=WAIT_MS)


def test_offline_the_buttons_that_need_the_server_say_so(pos, asgi_server, pos_cafe):
    order = paid_order(pos_cafe)
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/{order.pk}/")
    expect(pos.locator("[data-refund]")).to_be_enabled()

    pos.context.set_offline(True)

    expect(pos.locator("[data-needs-connection]")).to_contain_text("Needs a connection", timeout=WAIT_MS)
    expect(outbox_pill(pos)).to_contain_text("Offline")
    for button in ("[data-refund]", "[data-void-line]"):
        expect(pos.locator(button).first).to_be_disabled()
    pos.context.set_offline(False)
    expect(pos.locator("[data-refund]")).to_be_enabled(timeout=WAIT_MS)


def test_the_orders_screen_and_its_dialogs_pass_axe_and_fit_1024(pos, asgi_server, pos_cafe):
    order = paid_order(pos_cafe)
    pos.set_viewport_size({"width": 1024, "height": 768})
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/{order.pk}/")
    assert_accessible(pos, where="the orders screen with an order")
    assert pos.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0

    refund_dialog(pos)
    assert_accessible(pos, where="the refund dialog")
    pos.keyboard.press("Escape")
    for opener, dialog in (("[data-email]", "[data-email-dialog]"), ("[data-void-line]", "[data-void-dialog]")):
        pos.locator(opener).first.click()
        expect(pos.locator(dialog)).to_be_visible()
        assert_accessible(pos, where=dialog)
        pos.keyboard.press("Escape")
    in_a_thread(
        lambda: order_create(
            location=pos_cafe.location, staff=pos_cafe.cashier, type="TAKEAWAY", lines=[line(pos_cafe.toast)]
        )
    )
    pos.get_by_role("tab", name="Open").click()
    pos.locator("[data-order-list] .order-row").first.click()
    pos.locator("[data-cancel]").click()
    expect(pos.locator("[data-cancel-dialog]")).to_be_visible()
    assert_accessible(pos, where="the cancel dialog")
    pos.keyboard.press("Escape")

    pos.set_viewport_size({"width": 844, "height": 390})  # a phone held sideways
    assert pos.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


def test_where_the_location_asks_a_manager_approves_voiding_a_sent_item_with_their_pin(pos, asgi_server, pos_cafe):
    pos_cafe.location.void_sent_needs_manager = True
    pos_cafe.location.save(update_fields=["void_sent_needs_manager"])
    order = sent_order(pos_cafe)
    open_register(pos, asgi_server, pos_cafe, path=f"/pos/orders/{order.pk}/")
    toast = OrderLine.objects.get(order=order, name="Toast")

    pos.locator(f'[data-void-line="{toast.pk}"]').click()
    void = pos.locator("[data-void-dialog]")
    void.get_by_label("Reason").fill("Burnt")
    void.locator("[data-void-confirm]").click()
    expect(void.locator("[data-void-error]")).to_contain_text("manager", timeout=WAIT_MS)
    assert not OrderLine.objects.get(pk=toast.pk).voided

    approve(void)
    void.locator("[data-void-confirm]").click()
    expect(void).to_be_hidden(timeout=WAIT_MS)
    toast.refresh_from_db()
    assert (toast.voided, toast.voided_by, toast.void_approved_by) == (True, pos_cafe.cashier, pos_cafe.manager)
