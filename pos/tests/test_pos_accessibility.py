"""axe-core (testing/axe.py) on every page of the product but the kitchen display's (realtime/tests): the POS
screens with every register dialog open, the terminal's pairing and sign-in pages, the back office's reports and
the admin pages we customized. No serious or critical WCAG 2.1 A/AA violation, colour contrast included. The POS
tests drive the live server of pos/tests/conftest.py, so the other pages are checked here too."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import UserFactory, staff
from orders.tests.factories import OrderFactory, ShiftFactory, line
from testing.axe import assert_accessible
from testing.cafes import signed_in_session

from .pos import session_cookies
from .pos_browser import WAIT_MS, add_item, add_latte, expect_confirmed_total, in_a_thread, open_register, tile

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_register_and_each_of_its_dialogs_pass_axe(pos, asgi_server, pos_cafe):
    ShiftFactory(terminal=pos_cafe.terminal, staff=pos_cafe.cashier)
    open_register(pos, asgi_server, pos_cafe)
    assert_accessible(pos, where="the empty register")

    # The modifiers dialog, with a required group not chosen yet
    pos.get_by_role("tab", name="Coffee").click()
    tile(pos, "Latte").click()
    expect(pos.locator("[data-mod-dialog]")).to_be_visible()
    assert_accessible(pos, where="the modifiers dialog")
    pos.keyboard.press("Escape")
    expect(pos.locator("[data-mod-dialog]")).to_be_hidden()

    add_latte(pos, "Large", "Oat milk")
    add_item(pos, "Food", "Toast")
    expect_confirmed_total(pos, "€12.50")
    assert_accessible(pos, where="the register with a cart")

    # The line dialog
    pos.locator(".line-main").first.click()
    expect(pos.locator("[data-line-dialog]")).to_be_visible()
    assert_accessible(pos, where="the line dialog")
    pos.keyboard.press("Escape")

    # The discount dialog, and its manager approval
    pos.get_by_role("button", name="Discount").click()
    discount = pos.locator("[data-discount-dialog]")
    expect(discount).to_be_visible()
    assert_accessible(pos, where="the discount dialog")
    discount.locator('[data-discount-quick="20"]').click()
    discount.get_by_label("Reason").fill("Regular")
    discount.locator("[data-discount-apply]").click()
    expect(discount.locator("[data-approval]")).to_be_visible()
    assert_accessible(pos, where="the discount dialog asking for a manager's approval")
    pos.keyboard.press("Escape")

    # The tip dialog
    pos.get_by_role("button", name="Tip").click()
    expect(pos.locator("[data-tip-dialog]")).to_be_visible()
    assert_accessible(pos, where="the tip dialog")
    pos.keyboard.press("Escape")

    # The table and customer dialogs
    pos.get_by_role("button", name="Dine in").click()
    expect(pos.locator("[data-table-dialog]")).to_be_visible()
    assert_accessible(pos, where="the table dialog")
    pos.keyboard.press("Escape")
    pos.get_by_role("button", name="Delivery").click()
    expect(pos.locator("[data-customer-dialog]")).to_be_visible()
    assert_accessible(pos, where="the customer dialog")
    pos.keyboard.press("Escape")

    # The queue dialog behind the connection pill
    pos.locator("[data-connection]").click()
    expect(pos.locator("[data-queue-dialog]")).to_be_visible()
    assert_accessible(pos, where="the queue dialog")
    pos.keyboard.press("Escape")

    # The order sent, and the payment dialog: while charging and when paid
    pos.get_by_role("button", name="Takeaway").click()
    pos.locator("[data-send]").click()
    expect(pos.locator("[data-last-order]")).to_be_visible(timeout=WAIT_MS)
    assert_accessible(pos, where="the register after sending")
    pos.locator("[data-last-pay]").click()
    pay = pos.locator("[data-pay-dialog]")
    expect(pay).to_be_visible()
    assert_accessible(pos, where="the payment dialog")
    pay.locator('[data-split="items"]').click()
    assert_accessible(pos, where="the payment dialog splitting by items")
    pay.locator('[data-split="none"]').click()
    pay.locator("[data-pay-charge]").click()
    expect(pay.locator("[data-pay-done]")).to_be_visible(timeout=WAIT_MS)
    assert_accessible(pos, where="the payment dialog, paid")


def test_the_orders_floor_shift_and_receipt_pages_pass_axe(pos, asgi_server, pos_cafe):
    cafe = pos_cafe
    order = in_a_thread(
        lambda: OrderFactory(
            location=cafe.location, staff=cafe.cashier, type="DINE_IN", table=cafe.table, lines=[line(cafe.toast)]
        )
    )
    open_register(pos, asgi_server, cafe, path="/pos/orders/")
    pos.locator(".order-row").first.click()
    expect(pos.locator(".detail-pane h2")).to_be_visible()
    assert_accessible(pos, where="the orders page with an order open")
    pos.locator(".line-void").first.click()
    expect(pos.locator("[data-void-dialog]")).to_be_visible()
    assert_accessible(pos, where="the void dialog")
    pos.keyboard.press("Escape")

    open_register(pos, asgi_server, cafe, path="/pos/floor/")
    expect(pos.locator(".floor-table").first).to_be_visible()
    assert_accessible(pos, where="the floor plan")

    open_register(pos, asgi_server, cafe, path="/pos/shift/")
    assert_accessible(pos, where="the shift page, no drawer open")
    ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier)
    pos.reload()
    expect(pos.locator("[data-shift-open]")).to_be_visible()
    assert_accessible(pos, where="the shift page with the drawer open")
    pos.get_by_label("Counted cash (EUR)").fill("90")
    pos.locator("[data-close-form]").get_by_role("button", name="Close shift").click()
    expect(pos.locator("[data-close-dialog]")).to_be_visible()
    assert_accessible(pos, where="the close-shift confirmation")
    pos.keyboard.press("Escape")

    pos.goto(f"{asgi_server.url}/pos/orders/{order.pk}/receipt/")
    expect(pos.locator(".receipt")).to_be_visible()
    assert_accessible(pos, where="the receipt")


def test_the_offline_state_and_the_return_are_announced(pos, asgi_server, pos_cafe):
    open_register(pos, asgi_server, pos_cafe)
    status = pos.get_by_role("status").and_(pos.locator("[data-connection-status]"))
    expect(status).to_be_empty()

    asgi_server.stop()
    add_item(pos, "Food", "Croissant")
    pos.locator("[data-send]").click()
    expect(status).to_have_text(
        "Offline: orders are kept on this terminal and sent when the network returns.", timeout=WAIT_MS
    )
    asgi_server.start()
    expect(status).to_have_text("Back online.", timeout=WAIT_MS)


def test_the_terminal_pairing_sign_in_and_forbidden_pages_pass_axe(pos, asgi_server, pos_cafe):
    pos.goto(f"{asgi_server.url}/terminal/pair/")
    assert_accessible(pos, where="the pairing page")
    pos.locator("button[type=submit]").click()  # every field missing: the errors shown
    expect(pos.locator(".field-error").first).to_be_visible()
    assert_accessible(pos, where="the pairing page with its errors")

    pos.context.add_cookies([{"name": settings.TERMINAL_COOKIE_NAME, "value": pos_cafe.secret, "url": asgi_server.url}])
    pos.goto(f"{asgi_server.url}/terminal/login/")
    assert_accessible(pos, where="the PIN sign-in page")
    pos.locator(".unlock summary").click()
    assert_accessible(pos, where="the PIN sign-in page with the manager unlock open")

    cook = staff(pos_cafe.location, Role.KITCHEN, pin="9753")
    pos.context.add_cookies(
        session_cookies(terminal=pos_cafe.terminal, secret=pos_cafe.secret, user=cook, url=asgi_server.url)
    )
    pos.goto(f"{asgi_server.url}/pos/")
    expect(pos.locator("h1")).to_have_text("The register is for front-of-house staff")
    assert_accessible(pos, where="the register's forbidden page")


def admin_cookies(user, url: str) -> list[dict]:
    return [{"name": settings.SESSION_COOKIE_NAME, "value": signed_in_session(user), "url": url}]


def test_the_back_office_reports_and_our_admin_pages_pass_axe(pos, asgi_server, pos_cafe):
    cafe = pos_cafe
    in_a_thread(lambda: OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)]))
    admin = UserFactory(is_staff=True, is_superuser=True)
    pos.context.add_cookies(admin_cookies(admin, asgi_server.url))
    server = asgi_server.url

    pos.goto(f"{server}/admin/")
    assert_accessible(pos, where="the admin index")
    pos.goto(f"{server}/backoffice/reports/?location={cafe.location.pk}")
    expect(pos.locator(".report-table").first).to_be_visible()
    assert_accessible(pos, where="the reports dashboard")
    pos.goto(f"{server}/admin/menu/menuitem/")
    assert_accessible(pos, where="the menu items' change list")
    pos.goto(f"{server}/admin/menu/menuitem/{cafe.toast.pk}/change/")
    # Django's own filter_horizontal script (SelectFilter2.js) puts an aria-label on a role-less span: not ours.
    assert_accessible(pos, exclude=(".selector .help-tooltip",), where="a menu item's change form")
    pos.goto(f"{server}/admin/menu/menuitem/csv/")
    assert_accessible(pos, where="the menu CSV import page")

    pos.goto(f"{server}/admin/accounts/apikey/add/")
    assert_accessible(pos, where="the API key's add form")
    pos.locator("#id_location").select_option(str(cafe.location.pk))
    pos.locator("#id_name").fill("Delivery partner")
    pos.locator("input[name=scopes]").first.check()
    pos.locator("input[name=_save]").click()
    expect(pos.locator("#api-key")).to_be_visible()
    assert_accessible(pos, where="the API key created page")


def test_the_status_page_and_the_payment_asking_for_a_float_pass_axe_without_horizontal_scroll(
    pos, asgi_server, pos_cafe
):
    pos.set_viewport_size({"width": 1024, "height": 768})
    open_register(pos, asgi_server, pos_cafe, path="/pos/status/")
    expect(pos.locator('[data-status="socket"]')).to_have_text("Connected")
    expect(pos.locator('[data-status="queue"]')).to_have_text("0 orders or payments")
    assert_accessible(pos, where="the terminal status page")
    assert pos.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0

    pos.get_by_role("link", name="Register").click()
    add_item(pos, "Food", "Croissant")
    pos.locator("[data-send]").click()
    pos.locator("[data-last-pay]").click()
    expect(pos.locator("[data-pay-drawer]")).to_be_visible()  # no drawer open: the float is asked
    assert_accessible(pos, where="the payment dialog asking for the float")
    assert pos.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
