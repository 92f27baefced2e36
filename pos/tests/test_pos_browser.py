"""The POS terminal in Chromium against a live uvicorn on the PostgreSQL test database and Redis.

The seed's whole flow from pairing to the receipt; offline for real (the server process stopped) with the
outbox sent exactly once afterwards; a double tap and a lost answer making one order; sold-out items greyed
out live; split payments; a discount approved with a manager's PIN; a refused order fixed by the user.
The fixtures (`asgi_server`, `pos`, `pos_cafe`) are in conftest.py, the screen helpers in pos_browser.py.
"""

from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from accounts.models import Role, Terminal, User
from accounts.tests.factories import paired_terminal, staff
from menu.models import MenuItem
from orders.models import Order, OrderStatus, PaymentStatus, Tender
from orders.tests.factories import ShiftFactory

from .pos import session_cookies
from .pos_browser import (
    WAIT_MS,
    add_item,
    add_latte,
    expect_confirmed_total,
    expect_paid,
    in_a_thread,
    open_register,
    outbox_pill,
    tile,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# -- 3. exactly once: a double tap, a lost answer; sold out greys out live -----------------------------------


def test_a_double_tap_on_send_makes_one_order(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Croissant")
    expect_confirmed_total(pos, "€2.00")

    pos.locator("[data-send]").dblclick()

    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    assert Order.objects.count() == 1
    assert pos.locator("[data-cart-lines] li").count() == 0


def test_an_answer_lost_on_the_way_back_is_retried_into_the_same_order(pos, asgi_server, pos_cafe):
    # Given the server's answer to the first create is lost (the order is made, the browser never hears)
    open_register(pos, asgi_server, pos_cafe)
    lost = []

    def lose_first_answer(route):
        if lost:
            return route.continue_()
        lost.append(route.fetch())  # the server creates the order...
        return route.abort()  # ...and the terminal sees a dropped connection

    pos.route("**/api/v1/orders/", lose_first_answer)
    add_item(pos, "Food", "Croissant")

    # When it is sent, it waits in the outbox and is retried with the same key
    pos.locator("[data-send]").click()

    # Then the retry gets the original order back: one order, nothing left waiting
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    expect(outbox_pill(pos)).to_have_text("Online")
    assert lost[0].status == 201
    assert Order.objects.count() == 1


def test_an_item_marked_sold_out_in_admin_greys_out_on_an_open_register(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    expect(tile(pos, "Toast")).not_to_have_class("is-sold-out")
    owner = staff(pos_cafe.location, Role.OWNER)

    def mark_sold_out_in_admin():
        admin = Client()
        admin.force_login(owner)
        body = {"action": "mark_sold_out", "_selected_action": [pos_cafe.toast.pk], "index": 0}
        assert admin.post("/admin/menu/menuitem/", body).status_code == 302

    in_a_thread(mark_sold_out_in_admin)

    expect(tile(pos, "Toast")).to_have_class("item is-sold-out", timeout=WAIT_MS)
    expect(tile(pos, "Toast")).to_contain_text("Sold out")
    expect(pos.locator("[data-cart-lines] .line-warning")).to_have_text("Sold out")
    tile(pos, "Toast").click(force=True)  # aria-disabled, yet a tap explains why
    expect(pos.locator("[data-toast]")).to_have_text("Toast is sold out.")


# -- 1. the seed's flow: pair, PIN, order, kitchen, served, cash, receipt ------------------------------------


def seed_demo_cafe():
    from accounts.demo import seed_accounts
    from menu import demo as menu_demo
    from tables import demo as tables_demo

    location = seed_accounts()[0]
    menu_demo.seed(location)
    tables_demo.seed(location)
    return location


def test_the_seed_flow_from_pairing_to_the_receipt(pos, asgi_server):
    location = in_a_thread(seed_demo_cafe)
    cashier = User.objects.get(email="cashier@example.com")

    # Given a manager pairs this browser and the cashier signs in with her PIN
    pos.goto(f"{asgi_server.url}/terminal/pair/")
    pos.get_by_label("Manager email").fill("manager@example.com")
    pos.get_by_label("Password").fill("cafepos-manager")
    pos.get_by_label("Terminal name").fill("Counter")
    pos.get_by_role("button", name="Pair terminal").click()
    pos.locator(".tile", has_text="Cleo Cashier").click()
    for digit in "2222":
        pos.locator(f'[data-keypad-for="pin"] [data-key="{digit}"]').click()
    pos.get_by_role("button", name="Sign in").click()
    expect(pos).to_have_url(f"{asgi_server.url}/pos/")
    expect(pos.locator("html")).to_have_attribute("data-live", "yes", timeout=WAIT_MS)

    # And she opens the drawer with a float
    pos.get_by_role("link", name="Shift").click()
    pos.get_by_label("Opening float (EUR)").fill("100.00")
    pos.get_by_role("button", name="Open drawer").click()
    expect(pos.locator("[data-shift-open]")).to_be_visible(timeout=WAIT_MS)

    # And a kitchen display is open at the bar
    kitchen_terminal, kitchen_secret = paired_terminal(location=location, kind=Terminal.Kind.KITCHEN)
    kitchen = pos.context.browser.new_page()
    kitchen.context.add_cookies(
        session_cookies(
            terminal=kitchen_terminal,
            secret=kitchen_secret,
            user=User.objects.get(email="kitchen@example.com"),
            url=asgi_server.url,
        )
    )
    kitchen.goto(f"{asgi_server.url}/kitchen/?station=BAR")
    expect(kitchen.locator("[data-kds-status]")).to_have_text("Live", timeout=WAIT_MS)

    # When she rings up a large oat-milk cappuccino and a croissant and sends the order
    pos.get_by_role("link", name="Register").click()
    pos.get_by_role("tab", name="Coffee").click()
    tile(pos, "Cappuccino").click()
    dialog = pos.locator("[data-mod-dialog]")
    dialog.locator("[data-mod-add]").click()  # Size is required: the dialog says so and stays open
    expect(dialog.locator(".field-error")).to_have_text("Choose at least 1.")
    dialog.locator("[data-modifier]", has_text="Large").click()
    dialog.locator("[data-modifier]", has_text="Oat milk").click()
    dialog.locator("[data-mod-add]").click()
    add_item(pos, "Pastries", "Butter croissant")
    # (the demo's Central is in France and speaks English: amounts as English is written there)
    expect_confirmed_total(pos, "6,40\xa0€")
    expect(pos.locator('[data-total="tax-10.00"]')).to_have_text("0,41\xa0€")
    expect(pos.locator('[data-total="tax-5.50"]')).to_have_text("0,10\xa0€")
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)

    # Then the bar sees it at once, and bumps it
    ticket = kitchen.locator(".ticket", has_text="Cappuccino")
    expect(ticket).to_be_visible(timeout=WAIT_MS)
    expect(ticket).to_contain_text("Oat milk")
    ticket.get_by_role("button", name="Start").click()
    ticket.get_by_role("button", name="Bump").click()
    expect(ticket).to_have_count(0, timeout=WAIT_MS)

    # And the order turns READY on the POS by itself; she marks it served and takes cash with change
    pos.get_by_role("link", name="Orders").click()
    pos.locator("[data-order]", has_text="#0001").click()
    expect(pos.locator("[data-order-status]")).to_have_text("Ready", timeout=WAIT_MS)
    pos.get_by_role("button", name="Mark served").click()
    expect(pos.locator("[data-order-status]")).to_have_text("Served", timeout=WAIT_MS)
    pos.get_by_role("button", name="Take payment").click()
    pay = pos.locator("[data-pay-dialog]")
    pay.locator("[data-quick-cash]", has_text="10,00\xa0€").click()
    expect(pay.locator("[data-change]")).to_have_text("3,60\xa0€")
    pay.locator("[data-pay-charge]").click()
    expect_paid(pay, change="3,60\xa0€")

    # And the receipt shows the lines, tax per rate, the tender and the change
    pay.get_by_role("link", name="Receipt").click()
    receipt = pos.locator(".receipt")
    expect(receipt.locator("[data-receipt-number]")).to_have_text("000001")
    expect(receipt).to_contain_text("Cappuccino")
    expect(receipt).to_contain_text("Large")
    expect(receipt).to_contain_text("Butter croissant")
    for name, amount in [("total", "6,40"), ("tax-10.00", "0,41"), ("tax-5.50", "0,10"), ("change-1", "3,60")]:
        expect(receipt.locator(f'[data-receipt="{name}"]')).to_have_text(amount + "\xa0€")
    order = Order.objects.get()
    assert (order.status, order.payment_status, order.staff) == (OrderStatus.COMPLETED, PaymentStatus.PAID, cashier)
    assert order.payments.get().change_due == Decimal("3.60")


# -- 2. offline for real: the server process stopped ---------------------------------------------------------


def test_orders_taken_while_the_server_is_down_reach_it_exactly_once_as_their_staff(pos, asgi_server, pos_cafe):
    # Given the register was loaded once (the service worker now serves it) and the drawer is open
    ShiftFactory(terminal=pos_cafe.terminal, staff=pos_cafe.cashier)
    open_register(pos, asgi_server, pos_cafe)
    expect(pos.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=WAIT_MS)

    # When the server stops, two orders are taken (the second paid in cash) and the page is reloaded
    asgi_server.stop()
    add_item(pos, "Food", "Croissant")
    pos.locator("[data-send]").click()
    expect(outbox_pill(pos)).to_have_text("offline — 1 waiting", timeout=WAIT_MS)
    add_latte(pos, "Large")
    pos.locator("[data-send]").click()
    expect(outbox_pill(pos)).to_have_text("offline — 2 waiting", timeout=WAIT_MS)
    pos.locator("[data-last-pay]").click()
    pay = pos.locator("[data-pay-dialog]")
    pay.locator("[data-pay-tendered]").fill("5.00")
    pay.locator("[data-pay-charge]").click()
    expect_paid(pay, change="€0.90", title="Paid · saved offline, sent when the server is back")
    expect(outbox_pill(pos)).to_have_text("offline — 3 waiting")
    pos.reload()
    expect(outbox_pill(pos)).to_have_text("offline — 3 waiting", timeout=WAIT_MS)
    expect(tile(pos, "Latte")).to_be_visible()  # the page and its menu came from the service worker

    # And the cashier's session ends meanwhile (sessions expire; the terminal credential does not)
    Session.objects.all().delete()
    cache.clear()

    # Then once the server is back, both orders and the payment are sent, oldest first, once each
    asgi_server.start()
    expect(outbox_pill(pos)).to_have_text("Online", timeout=WAIT_MS)
    first, second = Order.objects.order_by("pk")
    assert [first.number, second.number] == [1, 2]
    assert first.staff == second.staff == pos_cafe.cashier
    assert [line.name for line in first.lines.all()] == ["Croissant"]
    assert [line.name for line in second.lines.all()] == ["Latte"]
    payment = second.payments.get()
    assert (payment.tender, payment.amount, payment.tendered, payment.change_due, payment.staff) == (
        Tender.CASH, Decimal("4.10"), Decimal("5.00"), Decimal("0.90"), pos_cafe.cashier
    )  # fmt: skip
    assert first.payment_status == PaymentStatus.UNPAID


def test_an_order_refused_on_sync_is_kept_for_the_user_to_fix(pos, asgi_server, pos_cafe):
    # Given an order of toast is taken while the server is down
    open_register(pos, asgi_server, pos_cafe)
    expect(pos.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=WAIT_MS)
    asgi_server.stop()
    add_item(pos, "Food", "Toast")
    pos.locator("[data-send]").click()
    expect(outbox_pill(pos)).to_have_text("offline — 1 waiting", timeout=WAIT_MS)

    # When toast is taken off the menu meanwhile and the server comes back
    toast = MenuItem.objects.get(pk=pos_cafe.toast.pk)
    toast.is_active = False
    toast.save()  # as the admin does (a queryset update would not tell the menu cache)
    asgi_server.start()

    # Then the order is set aside, shown to be fixed, never dropped
    expect(outbox_pill(pos)).to_have_text("Online · 1 to fix", timeout=WAIT_MS)
    pos.locator("[data-connection]").click()
    queue = pos.locator("[data-queue-dialog]")
    expect(queue.locator(".queue-item")).to_contain_text("Refused: This item is not on the menu.")
    queue.get_by_role("button", name="Fix").click()
    expect(pos.locator("[data-cart-problem]")).to_contain_text("This item is not on the menu.")

    # And fixed in the cart it is sent again, in its place, as one order
    pos.locator(".line", has_text="Toast").locator("[data-dec]").click()
    add_item(pos, "Food", "Croissant")
    pos.get_by_role("button", name="Send again").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent", timeout=WAIT_MS)
    expect(outbox_pill(pos)).to_have_text("Online")
    assert [line.name for line in Order.objects.get().lines.all()] == ["Croissant"]


# -- 4. split payment cash + card; a discount approved with a manager's PIN ----------------------------------


def test_a_managers_pin_is_kept_in_memory_and_never_written_to_the_device(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    add_item(pos, "Food", "Toast")
    expect_confirmed_total(pos, "€16.00")
    pos.route("**/api/v1/orders/", lambda route: route.abort("internetdisconnected"))  # the server out of reach

    # When a manager approves a 20 % discount with their PIN and the order waits in the outbox
    pos.get_by_role("button", name="Discount").click()
    discount = pos.locator("[data-discount-dialog]")
    discount.locator('[data-discount-quick="20"]').click()
    discount.get_by_label("Reason").fill("Regular")
    discount.locator("[data-approval-manager]").select_option(label="Max Manager")
    for digit in "1357":
        discount.locator(f'[data-approval-keypad] [data-key="{digit}"]').click()
    discount.locator("[data-discount-apply]").click()
    pos.locator("[data-send]").click()
    expect(pos.locator("html")).to_have_attribute("data-outbox", "1", timeout=WAIT_MS)

    # Then the device's storage holds the approval without the PIN
    stored = pos.evaluate("CafePOS.store.all().then(function (entries) { return JSON.stringify(entries); })")
    assert '"manager_id"' in stored and "1357" not in stored

    # And once the server answers, this page sends the PIN it kept in memory: the discount is approved
    pos.unroute("**/api/v1/orders/")
    expect(pos.locator("html")).to_have_attribute("data-outbox", "0", timeout=WAIT_MS)
    order = Order.objects.get()
    assert (order.discount_total, order.discount_approved_by) == (Decimal("3.20"), pos_cafe.manager)


def test_a_managers_pin_approves_the_discount_and_the_bill_is_split_cash_and_card(pos, asgi_server, pos_cafe):
    ShiftFactory(terminal=pos_cafe.terminal, staff=pos_cafe.cashier)
    open_register(pos, asgi_server, pos_cafe)
    add_item(pos, "Food", "Toast")
    add_item(pos, "Food", "Toast")
    expect_confirmed_total(pos, "€16.00")

    # When the cashier gives 20% (above the 10% a cashier may give alone)
    pos.get_by_role("button", name="Discount").click()
    discount = pos.locator("[data-discount-dialog]")
    discount.locator('[data-discount-quick="20"]').click()
    discount.get_by_label("Reason").fill("Regular")
    discount.locator("[data-discount-apply]").click()
    expect(discount.locator("[data-discount-error]")).to_contain_text("a manager approves")

    # Then a manager approves with their PIN (a wrong PIN is refused by the server first)
    discount.locator("[data-approval-manager]").select_option(label="Max Manager")
    discount.get_by_label("Manager’s PIN").fill("9999")
    discount.locator("[data-discount-apply]").click()
    expect_confirmed_total(pos, "€12.80")
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-cart-problem]")).to_have_text("Wrong PIN. 4 tries left.", timeout=WAIT_MS)
    assert not Order.objects.exists()
    pos.get_by_role("button", name="Discount").click()
    for digit in "1357":
        discount.locator(f'[data-approval-keypad] [data-key="{digit}"]').click()
    discount.locator("[data-discount-apply]").click()
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-text]")).to_contain_text("#0001 sent · Takeaway · €12.80", timeout=WAIT_MS)

    # And the bill is split in two: cash for one half, card for the other
    pos.locator("[data-last-pay]").click()
    pay = pos.locator("[data-pay-dialog]")
    pay.locator('[data-split="2"]').click()
    expect(pay.locator("[data-check]")).to_have_count(2, timeout=WAIT_MS)
    expect(pay.locator("[data-pay-amount]")).to_have_value("6.40")
    pay.locator("[data-pay-tendered]").fill("10")
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator(".check.is-paid")).to_have_count(1, timeout=WAIT_MS)
    pay.locator('[data-tender="CARD"]').click()
    pay.get_by_label("Card, last 4 digits").fill("4242")
    pay.locator("[data-pay-charge]").click()
    expect_paid(pay)

    order = Order.objects.get()
    assert (order.discount_total, order.discount_approved_by, order.staff) == (
        Decimal("3.20"), pos_cafe.manager, pos_cafe.cashier
    )  # fmt: skip
    payments = [(p.tender, p.amount, p.check_number, p.card_last4) for p in order.payments.order_by("pk")]
    assert payments == [(Tender.CASH, Decimal("6.40"), 1, ""), (Tender.CARD, Decimal("6.40"), 2, "4242")]
    assert order.payment_status == PaymentStatus.PAID
