"""The register as a cashier meets it, in Chromium against a live uvicorn: cash with no drawer open opens the
drawer in the payment dialog, the terminal status page, the pill turning offline when the server dies, and the
rough edges of the menu tiles, the modifier and discount dialogs, the split checks and a refused order.
"""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from menu.tests.factories import MenuItemFactory
from orders.models import Order, PaymentStatus, Shift, Tender
from orders.tests.factories import ShiftFactory
from pos.views import app_version

from .pos_browser import (
    WAIT_MS,
    add_item,
    add_latte,
    expect_confirmed_total,
    expect_paid,
    open_register,
    outbox_pill,
    tile,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 1024, "height": 768}


def send_croissant_and_open_payment(pos):
    add_item(pos, "Food", "Croissant")
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    pos.locator("[data-last-pay]").click()
    return pos.locator("[data-pay-dialog]")


# -- cash needs an open drawer: it is opened in the payment ----------------------------------------------------


def test_cash_with_no_drawer_open_asks_for_the_float_opens_the_drawer_and_the_payment_continues(
    pos, asgi_server, pos_cafe
):
    # Given no drawer is open on this terminal
    open_register(pos, asgi_server, pos_cafe)
    pay = send_croissant_and_open_payment(pos)

    # Then cash asks for the float before anything fails (card does not)
    drawer = pay.locator("[data-pay-drawer]")
    expect(drawer).to_be_visible()
    expect(pay.locator("[data-pay-charge]")).to_have_text("Open drawer and charge €2.00")
    pay.locator('[data-tender="CARD"]').click()
    expect(drawer).to_be_hidden()
    pay.locator('[data-tender="CASH"]').click()
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-error]")).to_have_text("Enter the opening float, e.g. 100.00.")

    # When the cashier counts in a float of 150 and charges 5.00 handed over
    pay.get_by_label("Opening float (EUR)").fill("150")
    pay.locator("[data-pay-tendered]").fill("5")
    pay.locator("[data-pay-charge]").click()

    # Then the drawer is open and the payment went into it
    expect_paid(pay, change="€3.00")
    shift = Shift.objects.get(terminal=pos_cafe.terminal, closed_at__isnull=True)
    assert (shift.opening_float, shift.opened_by) == (Decimal("150.00"), pos_cafe.cashier)
    payment = Order.objects.get().payments.get()
    assert (payment.tender, payment.amount, payment.shift) == (Tender.CASH, Decimal("2.00"), shift)


def test_a_drawer_closed_after_the_page_loaded_is_opened_when_the_cash_payment_is_refused(pos, asgi_server, pos_cafe):
    # Given the register was loaded with the drawer open, and the drawer was closed since (at another screen)
    ShiftFactory(terminal=pos_cafe.terminal, staff=pos_cafe.cashier)
    open_register(pos, asgi_server, pos_cafe)
    Shift.objects.update(closed_at=timezone.now(), counted_cash=Decimal("100.00"))
    pay = send_croissant_and_open_payment(pos)
    expect(pay.locator("[data-pay-drawer]")).to_be_hidden()

    # When cash is charged, the server refuses it and the dialog asks for the float right there
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-error]")).to_have_text("Cash goes into a drawer: open a shift first.")
    expect(pay.locator("[data-pay-drawer]")).to_be_visible()
    pay.get_by_label("Opening float (EUR)").fill("80")
    pay.locator("[data-pay-charge]").click()

    # Then the payment continues into the new drawer
    expect_paid(pay)
    opened = Shift.objects.get(closed_at__isnull=True)
    assert opened.opening_float == Decimal("80.00")
    assert Order.objects.get().payment_status == PaymentStatus.PAID


# -- the terminal status page ------------------------------------------------------------------------------------


def test_a_paired_terminal_keeps_its_storage_and_the_status_page_shows_queue_sync_version_and_socket(
    pos, asgi_server, pos_cafe
):
    # Given the terminal's browser grants persistent storage to this site (as to an installed app) when asked
    cdp = pos.context.new_cdp_session(pos)
    context_id = cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    grant = {"origin": asgi_server.url, "permissions": ["durableStorage"], "browserContextId": context_id}
    cdp.send("Browser.grantPermissions", grant)
    pos.add_init_script(
        "var ask = StorageManager.prototype.persist;"
        "StorageManager.prototype.persist = function () { window.persistAsked = true; return ask.call(this); };"
    )

    # When the paired terminal opens the register, it asks for it
    open_register(pos, asgi_server, pos_cafe)
    assert pos.evaluate("CafePOS.storagePersisted") is True
    assert pos.evaluate("window.persistAsked") is True
    assert pos.evaluate("navigator.storage.persisted()") is True

    # When an order waits in the queue (the server out of reach for orders) and the status page is opened
    pos.route("**/api/v1/orders/", lambda route: route.abort("internetdisconnected"))
    add_item(pos, "Food", "Croissant")
    pos.locator("[data-send]").click()
    expect(pos.locator("html")).to_have_attribute("data-outbox", "1", timeout=WAIT_MS)
    pos.get_by_role("link", name="Status").click()
    expect(pos.locator("html")).to_have_attribute("data-live", "yes", timeout=WAIT_MS)

    # Then it says what the terminal keeps and how it reaches the server
    rows = ("storage", "queue", "last-sync", "version", "socket")
    status = {name: pos.locator(f'[data-status="{name}"]') for name in rows}
    expect(status["storage"]).to_have_text("Persistent")
    expect(pos.locator("[data-status-storage-hint]")).to_be_hidden()
    expect(status["queue"]).to_have_text("1 order or payment")
    expect(status["last-sync"]).to_have_text("Nothing sent from this terminal yet")
    expect(status["version"]).to_have_text(app_version())
    expect(status["socket"]).to_have_text("Connected")

    # And once the order reaches the server, the queue is empty and the last sync is now
    pos.unroute("**/api/v1/orders/")
    expect(status["queue"]).to_have_text("0 orders or payments", timeout=WAIT_MS)
    expect(status["last-sync"]).not_to_have_text("Nothing sent from this terminal yet")
    assert Order.objects.count() == 1

    # And when the server dies the socket's state says so
    asgi_server.stop()
    expect(status["socket"]).not_to_have_text("Connected", timeout=WAIT_MS)


# -- the pill follows the socket -------------------------------------------------------------------------------


def test_the_pill_says_offline_within_seconds_of_the_server_dying_with_nothing_sent(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    expect(outbox_pill(pos)).to_have_text("Online")

    asgi_server.stop()

    expect(outbox_pill(pos)).to_have_text("Offline", timeout=5000)
    asgi_server.start()
    expect(outbox_pill(pos)).to_have_text("Online", timeout=WAIT_MS)


# -- rough edges -----------------------------------------------------------------------------------------------


# Both boxes read in one step: the menu may redraw its tiles (a live update) between two separate reads.
NAME_UNDER_BADGE = """tile => {
  const a = tile.querySelector(".item-name").getBoundingClientRect();
  const b = tile.querySelector(".item-more").getBoundingClientRect();
  return !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
}"""


def test_the_options_badge_never_covers_an_items_name(pos, asgi_server, pos_cafe):
    names = ["Americano", "Cappuccino", "Flat white", "Caffè latte", "Macchiato", "Iced latte", "Cold brew"]
    for name in names:
        MenuItemFactory(
            location=pos_cafe.location,
            category=pos_cafe.latte.category,
            name=name,
            price=Decimal("3.20"),
            modifier_groups=list(pos_cafe.latte.modifier_groups.all()),
        )
    pos.set_viewport_size(SCREEN)
    open_register(pos, asgi_server, pos_cafe)
    pos.get_by_role("tab", name="Coffee").click()

    for name in names:
        item = tile(pos, name)
        badge = item.locator(".item-more")
        expect(badge).to_have_text("Options")
        assert not item.evaluate(NAME_UNDER_BADGE), name


def test_the_modifier_dialog_says_what_is_missing_only_after_add_was_tapped(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    pos.get_by_role("tab", name="Coffee").click()
    tile(pos, "Latte").click()
    dialog = pos.locator("[data-mod-dialog]")
    expect(dialog.locator(".mod-group").first).to_be_visible()
    expect(dialog.locator(".field-error")).to_have_count(0)

    dialog.locator("[data-mod-add]").click()

    expect(dialog.locator(".field-error")).to_have_text("Choose at least 1.")
    expect(dialog).to_be_visible()
    dialog.locator("[data-modifier]", has_text="Large").click()
    expect(dialog.locator(".field-error")).to_have_count(0)
    dialog.locator("[data-mod-add]").click()
    expect(dialog).to_be_hidden()
    expect(pos.locator(".line-name")).to_have_text(["Latte"])


def test_the_discount_dialog_keeps_apply_and_cancel_on_a_768_px_screen_when_a_manager_approves(
    pos, asgi_server, pos_cafe
):
    pos.set_viewport_size(SCREEN)
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    pos.get_by_role("button", name="Discount").click()
    discount = pos.locator("[data-discount-dialog]")
    discount.locator('[data-discount-quick="20"]').click()
    discount.get_by_label("Reason").fill("Regular")
    discount.locator("[data-discount-apply]").click()
    expect(discount.locator("[data-discount-error]")).to_contain_text("a manager approves")

    for button in (discount.locator("[data-discount-apply]"), discount.get_by_role("button", name="Cancel")):
        box = button.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"], box
        assert box["x"] + box["width"] <= SCREEN["width"], box
        button.click(trial=True)  # nothing covers it: a tap lands on it


def test_split_checks_stand_apart_from_the_cash_and_card_row(pos, asgi_server, pos_cafe):
    ShiftFactory(terminal=pos_cafe.terminal, staff=pos_cafe.cashier)
    open_register(pos, asgi_server, pos_cafe)
    add_latte(pos, "Large")
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    pos.locator("[data-last-pay]").click()
    pay = pos.locator("[data-pay-dialog]")
    pay.locator('[data-split="2"]').click()
    expect(pay.locator("[data-check]")).to_have_count(2, timeout=WAIT_MS)

    checks = pay.locator("[data-checks]").bounding_box()
    tenders = pay.locator(".segmented.tender").bounding_box()
    assert tenders["y"] - (checks["y"] + checks["height"]) >= 8


def test_an_order_refused_as_a_reused_key_says_what_happened_in_the_cashiers_words(pos, asgi_server, pos_cafe):
    # Given a first order was sent under its key
    open_register(pos, asgi_server, pos_cafe)
    keys = []
    pos.on("request", lambda request: keys.append(request.headers.get("idempotency-key")))
    add_item(pos, "Food", "Croissant")
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    first_key = next(key for key in keys if key)

    # When another order reaches the server under that same key (as a terminal restored from a copy would send)
    pos.route(
        "**/api/v1/orders/",
        lambda route: route.continue_(headers={**route.request.headers, "idempotency-key": first_key}),
    )
    pos.locator("[data-last-dismiss]").click()
    add_item(pos, "Food", "Toast")
    expect_confirmed_total(pos, "€8.00")
    pos.locator("[data-send]").click()

    # Then the cashier reads what happened and what to do; the API's own code and words are unchanged
    words = "This order was already sent with different contents. Start a new order or reload."
    expect(pos.locator("[data-cart-problem]")).to_have_text(words, timeout=WAIT_MS)
    assert Order.objects.count() == 1
