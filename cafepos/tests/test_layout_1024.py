"""Every page of the product at 1024×768 (the smallest till and back-office screen we support): no sideways
scroll and no text drawn over other text (testing/layout.py), with the demo cafe's data so lists have rows.

One uvicorn, one Chromium and one seeding for the module: the pages only read, so the tests share them, and the
database is flushed when the module ends (as a transactional test leaves it).
"""

import os
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command

from testing.layout import assert_layout_fits

# Each test only reads (in a transaction rolled back after it); the module's data is committed once, below.
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]

VIEWPORT = {"width": 1024, "height": 768}
OUR_APPS = ("cafepos", "accounts", "menu", "tables", "orders", "delivery")
WAIT_MS = 15_000


ADMIN_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in OUR_APPS
)

# (who is signed in, path, what is shown once the page has drawn its data); `{…}` is filled from the demo data.
PAGES = [
    pytest.param("pos", "/pos/", "html[data-live=yes]", id="pos-register"),
    pytest.param("pos", "/pos/floor/", "html[data-live=yes]", id="pos-floor"),
    pytest.param("pos", "/pos/orders/", "html[data-live=yes]", id="pos-orders"),
    pytest.param("pos", "/pos/shift/", "[data-shift-open]", id="pos-shift"),
    pytest.param("pos", "/pos/orders/{order}/receipt/", ".receipt", id="pos-receipt"),
    pytest.param("kitchen", "/kitchen/", "[data-kds-status]:has-text('Live')", id="kitchen"),
    pytest.param("nobody", "/terminal/pair/", "form", id="terminal-pair"),
    pytest.param("terminal", "/terminal/login/", "form", id="terminal-pin"),
    pytest.param("terminal", "/terminal/language/", "form", id="terminal-language"),
    pytest.param("admin", "/admin/", "#content", id="admin-index"),
    pytest.param("admin", "/backoffice/language/", "form", id="backoffice-language"),
    pytest.param("admin", "/backoffice/reports/?location={location}", ".report-table", id="reports"),
    pytest.param("admin", "/backoffice/reports/", ".report-table", id="reports-every-location"),
    pytest.param("admin", "/api/v1/docs/", ".swagger-ui .info", id="api-swagger"),
    pytest.param("admin", "/api/v1/redoc/", "h1", id="api-redoc"),
    pytest.param("nobody", "/", "body", id="start-page"),
    # German titles and tools are longer: the widest changelist header (its title, CSV import and Add) in German
    pytest.param("admin-de", "/admin/menu/menuitem/", "#result_list", id="admin-menu-menuitem-list-de"),
    pytest.param("admin", "/admin/menu/menuitem/csv/", "#content-main form", id="admin-menu-csv"),
    # The change forms with the most on them: inlines, a filter widget, a location's many settings, permissions
    pytest.param("admin", "/admin/menu/menuitem/{item}/change/", "#content-main form", id="admin-menu-item-change"),
    pytest.param(
        "admin", "/admin/menu/modifiergroup/{group}/change/", "#content-main form", id="admin-modifier-group-change"
    ),
    pytest.param(
        "admin", "/admin/accounts/location/{location}/change/", "#content-main form", id="admin-location-change"
    ),
    pytest.param("admin", "/admin/accounts/user/{cashier}/change/", "#content-main form", id="admin-user-change"),
]
PAGES += [
    pytest.param(
        "admin",
        f"/admin/{app}/{model}/",
        "#result_list, #changelist",
        id=f"admin-{app}-{model}-list",
    )
    for app, model in ADMIN_MODELS
]
PAGES += [
    pytest.param("admin", f"/admin/{app}/{model}/add/", "#content-main form", id=f"admin-{app}-{model}-form")
    for app, model in ADMIN_MODELS
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo cafe (`seed_demo`: menu, tables, three weeks of sales) with today's open orders (one ticket
    cooking, one order ready), an open shift, a refund, a receipt email, a webhook delivery, an idempotency key, a
    paired till and kitchen display, and each visitor's cookies."""
    from accounts.models import Location, Role, Terminal, User
    from accounts.services import user_language_set
    from accounts.tests.factories import paired_terminal
    from cafepos.tests.factories import IdempotencyKeyFactory
    from delivery.services import receipt_email_send
    from delivery.tests.factories import WebhookEndpointFactory, due_delivery
    from menu.models import MenuItem, ModifierGroup, Station
    from orders.models import Payment, Tender
    from orders.services import payment_refund, ticket_bump, ticket_start
    from orders.tests.factories import OrderFactory, ShiftFactory, line
    from tables.models import Table
    from testing.cafes import signed_in_session, terminal_session_cookies

    try:
        with django_db_blocker.unblock():
            call_command("seed_demo", stdout=StringIO())
            location = Location.objects.order_by("pk").first()
            cashier = User.objects.get(memberships__location=location, memberships__role=Role.CASHIER)
            cook = User.objects.get(memberships__location=location, memberships__role=Role.KITCHEN)
            till, till_secret = paired_terminal(location=location, kind=Terminal.Kind.POS, name="Till 1")
            kitchen, kitchen_secret = paired_terminal(location=location, kind=Terminal.Kind.KITCHEN, name="Kitchen")
            ShiftFactory(terminal=till, staff=cashier)
            items = list(MenuItem.objects.filter(location=location, station=Station.KITCHEN).order_by("pk")[:6])
            tables = list(Table.objects.filter(location=location).order_by("pk")[:4])
            orders = [
                OrderFactory(
                    location=location,
                    staff=cashier,
                    type="DINE_IN",
                    table=table,
                    lines=[line(item, quantity=n + 1) for item in items[n : n + 3]],
                )
                for n, table in enumerate(tables)
            ]
            ticket_start(ticket=orders[1].tickets.first(), staff=cook)  # one ticket cooking, one ready for its table
            for ticket in orders[2].tickets.all():
                ticket_bump(ticket=ticket_start(ticket=ticket, staff=cook), staff=cook)
            # A row in each read-only admin page, so their forms are checked too
            manager = User.objects.get(memberships__location=location, memberships__role=Role.MANAGER)
            # a card payment: a cash refund needs its drawer open, and the demo's drawers are closed
            paid = Payment.objects.filter(order__location=location, tender=Tender.CARD).order_by("pk").first()
            payment_refund(payment=paid, staff=manager, amount=Decimal("1.00"), reason="Cold coffee")
            receipt_email_send(order=paid.order, to="guest@example.com")
            IdempotencyKeyFactory(scope=f"user:{cashier.pk}")
            due_delivery(WebhookEndpointFactory(location=location))
            superuser = User.objects.create_superuser(email="layout@example.com", password="layout-check")
            german = User.objects.create_superuser(email="layout-de@example.com", password="layout-check")
            user_language_set(user=german, language="de")
            cookies = {
                "nobody": {},
                "terminal": {settings.TERMINAL_COOKIE_NAME: till_secret},
                "pos": terminal_session_cookies(terminal=till, secret=till_secret, user=cashier),
                "kitchen": terminal_session_cookies(terminal=kitchen, secret=kitchen_secret, user=cook),
                "admin": {settings.SESSION_COOKIE_NAME: signed_in_session(superuser)},
                "admin-de": {settings.SESSION_COOKIE_NAME: signed_in_session(german)},
            }
            data = SimpleNamespace(
                cookies=cookies,
                location=location.pk,
                order=orders[0].pk,
                item=MenuItem.objects.filter(location=location, modifier_groups__isnull=False).first().pk,
                group=ModifierGroup.objects.filter(location=location).first().pk,
                cashier=cashier.pk,
            )
        yield data
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def site(demo, django_db_blocker):
    from realtime.tests.live_asgi import serving_test_database

    with serving_test_database(django_db_blocker.unblock) as server:
        yield server


@pytest.fixture(scope="module")
def browser(site):
    """One Chromium for the module (these tests touch no asyncio), closed before the next module's tests run.
    Playwright's loop runs in the main thread while it is open, so Django is told the ORM may run beside it."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"needs Chromium at {CHROMIUM}: run scripts/ensure-chromium.sh as root, or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_context(browser, site, demo, who):
    """A browser context at 1024×768 holding the cookies of `who`."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_cookies([{"name": name, "value": value, "url": site.url} for name, value in demo.cookies[who].items()])
    return context


@pytest.fixture(scope="module")
def contexts(browser, site, demo):
    """A browser context per kind of visitor, opened on first use and shared by the pages they only look at."""
    opened = {}

    def context(who):
        if who not in opened:
            opened[who] = new_context(browser, site, demo, who)
        return opened[who]

    return context


@pytest.mark.parametrize(("who", "path", "drawn"), PAGES)
def test_the_page_fits_1024_by_768_without_sideways_scroll_or_overlapping_text(contexts, site, demo, who, path, drawn):
    path = path.format(**vars(demo))
    page = contexts(who).new_page()
    try:
        page.set_default_timeout(WAIT_MS)
        response = page.goto(site.url + path)
        if response.status == 403 and path.endswith("/add/"):  # read-only in the admin: its first row's form
            page.goto(site.url + path.removesuffix("add/"))
            first_row = page.locator("#result_list tbody th a, #result_list tbody td a").first
            if not first_row.count():
                pytest.skip("read-only in the admin and no rows: no form to show")
            response = page.goto(site.url + first_row.get_attribute("href"))
        assert response.status == 200, f"{path} answered {response.status}"
        page.locator(drawn).first.wait_for()
        page.evaluate("document.fonts.ready.then(() => true)")
        assert_layout_fits(page, where=path)
    finally:
        page.close()


PLAIN_ITEM = ("role=tab[name='Pastries']", "[data-item]:not(:has(.item-more))")
OPEN_ORDER = (".order-row",)
# (who, path, what to tap in turn, what is then shown): the states a page is in after a tap or two.
SCREEN_STATES = [
    pytest.param("pos", "/pos/", ("[data-item]:has(.item-more)",), "[data-mod-dialog]", id="register-modifiers"),
    pytest.param("pos", "/pos/", (*PLAIN_ITEM, ".line-main"), "[data-line-dialog]", id="register-line"),
    pytest.param("pos", "/pos/", ("[data-type=DINE_IN]",), "[data-table-dialog]", id="register-table"),
    pytest.param("pos", "/pos/", ("[data-type=DELIVERY]",), "[data-customer-dialog]", id="register-customer"),
    pytest.param("pos", "/pos/", (*PLAIN_ITEM, "[data-discount]"), "[data-discount-dialog]", id="register-discount"),
    pytest.param("pos", "/pos/", (*PLAIN_ITEM, "[data-tip]"), "[data-tip-dialog]", id="register-tip"),
    pytest.param("pos", "/pos/", ("[data-connection]",), "[data-queue-dialog]", id="register-queue"),
    pytest.param(
        "pos", "/pos/", (*PLAIN_ITEM, "[data-send]", "[data-last-pay]"), "[data-pay-dialog]", id="register-payment"
    ),
    pytest.param("pos", "/pos/orders/", OPEN_ORDER, ".detail-pane h2", id="orders-open"),
    pytest.param("pos", "/pos/orders/", (*OPEN_ORDER, ".line-void"), "[data-void-dialog]", id="orders-void"),
    pytest.param("nobody", "/terminal/pair/", ("button[type=submit]",), ".field-error", id="pair-errors"),
    pytest.param("terminal", "/terminal/login/", (".unlock summary",), ".unlock[open]", id="pin-unlock"),
]


@pytest.mark.parametrize(("who", "path", "taps", "shown"), SCREEN_STATES)
def test_each_dialog_and_opened_state_fits_1024_by_768(browser, site, demo, who, path, taps, shown):
    """With a modal dialog open only the dialog is checked (the page behind its backdrop is the test above's).
    Each starts from a browser of its own: the register keeps its cart there."""
    context = new_context(browser, site, demo, who)
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(site.url + path)
        if path.startswith("/pos/"):
            page.locator("html[data-live=yes]").wait_for()
        for selector in taps:
            page.locator(selector).first.click()
        page.locator(shown).first.wait_for()
        assert_layout_fits(page, where=f"{path} showing {shown}")
    finally:
        context.close()
