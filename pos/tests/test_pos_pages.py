"""The POS pages as the server renders them: who may open them, the security headers and forms, what each
page starts from, the receipt, the split view, the installable app's files and the weight budget."""

import datetime
import gzip
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation

from accounts.models import Location, Role, Terminal
from accounts.tests.factories import LocationFactory, paired_terminal
from cafepos.exceptions import ApplicationError
from orders.models import Order, OrderStatus, OrderType, Tender
from orders.selectors import SHIFT_MOVEMENTS_SHOWN
from orders.services import order_status_set, payment_add, shift_cash_move
from orders.tests.factories import OrderFactory, ShiftFactory, line, order_at_status

from .pos import make_cafe, pos_client

pytestmark = pytest.mark.django_db

PAGES = ["/pos/", "/pos/orders/", "/pos/floor/", "/pos/shift/", "/pos/status/"]
BUDGET_GZIPPED = 100 * 1024


@pytest.fixture
def cafe():
    return make_cafe()


@pytest.fixture
def cashier_client(cafe):
    return pos_client(cafe.location, terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier)[0]


def config_of(response) -> dict:
    match = re.search(
        r'<script id="pos-config" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


# -- access --------------------------------------------------------------------------------------------------


def test_an_unpaired_browser_is_sent_to_pairing_and_a_paired_one_without_staff_to_the_tiles(cafe):
    client = Client()
    assert client.get("/pos/")["Location"] == "/terminal/pair/"
    client.cookies["cafepos_terminal"] = cafe.secret
    for path in PAGES:
        assert client.get(path)["Location"] == "/terminal/login/"


def test_kitchen_staff_signed_in_on_a_pos_terminal_are_told_it_is_not_for_them(cafe):
    client, _, _ = pos_client(cafe.location, Role.KITCHEN, terminal=cafe.terminal, secret=cafe.secret)

    response = client.get("/pos/")

    assert response.status_code == 403
    assert b"front-of-house" in response.content


def test_a_kitchen_terminal_is_sent_to_its_own_page(cafe):
    terminal, secret = paired_terminal(location=cafe.location, kind=Terminal.Kind.KITCHEN)
    client, _, _ = pos_client(cafe.location, Role.MANAGER, terminal=terminal, secret=secret)

    assert client.get("/pos/")["Location"] == "/kitchen/"


def test_an_order_of_another_location_has_no_receipt_here(cashier_client):
    elsewhere = OrderFactory(location=LocationFactory())

    assert cashier_client.get(f"/pos/orders/{elsewhere.pk}/receipt/").status_code == 404


# -- security: CSP without inline scripts, escaping, CSRF ----------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_csp_no_inline_script_and_csrf_on_every_form(cashier_client, path):
    response = cashier_client.get(path)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    page = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    for attributes, body in scripts:
        assert 'src="' in attributes and not body.strip() or 'type="application/json"' in attributes
    assert not re.search(r"<[^>]+\s(?:style|on[a-z]+)=", page)  # no inline styles or event handlers
    forms = re.findall(r"<form\b.*?</form>", page, re.S)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms)
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]


def test_names_from_the_menu_are_never_markup(cafe, cashier_client):
    cafe.latte.name = "</script><script>alert(1)</script>"
    cafe.latte.save()

    page = cashier_client.get("/pos/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert config_of(cashier_client.get("/pos/"))["menu"]["categories"][0]["items"][0]["name"] == cafe.latte.name


def test_the_split_view_refuses_a_post_without_the_csrf_token(cafe):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = pos_client(cafe.location, terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier)[0].cookies
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])

    response = strict.post(f"/pos/orders/{order.pk}/split/", {"parts": 2}, content_type="application/json")

    assert response.status_code == 403


# -- what each page starts from -----------------------------------------------------------------------------


def test_the_register_starts_from_the_menu_tables_managers_and_the_outbox_position(
    cafe, cashier_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = cashier_client.get("/pos/")

    config = config_of(response)
    assert config["staff"] == {"id": cafe.cashier.pk, "name": "Cleo Cashier", "role": "CASHIER"}
    assert config["manager_roles"] == ["MANAGER", "OWNER"]
    assert config["limits"]["max_quantity"] == 999 and config["limits"]["customer_fields"]["phone"] == 40
    assert b'max="999"' in response.content and b'maxlength="40"' in response.content
    assert config["location"]["currency"] == "EUR" and config["location"]["discount_approval_percent"] == "10.00"
    assert config["location"]["max_tip_percent"] == "100.00"
    assert [item["name"] for item in config["menu"]["categories"][1]["items"]] == ["Croissant", "Toast"]
    assert config["managers"] == [{"id": cafe.manager.pk, "name": "Max Manager"}]
    assert config["tables"][0]["label"] == "7"
    assert isinstance(config["since"], int)
    assert b"Cleo Cashier" in response.content


def test_a_page_gets_the_money_and_date_formats_of_the_locations_country_in_the_active_language(cafe, cashier_client):
    Location.objects.filter(pk=cafe.location.pk).update(
        country="DE", language="de", currency="KWD", time_zone="Europe/Berlin"
    )

    with translation.override("de"):
        config = config_of(cashier_client.get("/pos/", HTTP_ACCEPT_LANGUAGE="de"))

    money, dates = config["money"], config["dates"]
    assert (money["locale"], money["currency"], money["digits"], money["decimal"], money["group"]) == (
        "de_DE", "KWD", 3, ",", ".",
    )  # fmt: skip
    assert config["location"]["money_max"] == 100_000_000_000
    assert (dates["time_zone"], dates["date"], dates["time"]) == ("Europe/Berlin", "dd.MM.yy", "HH:mm")


def test_the_orders_page_lists_open_orders_and_recent_ones(cafe, cashier_client, django_assert_max_num_queries):
    open_order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])
    done = order_at_status(OrderStatus.COMPLETED, location=cafe.location, staff=cafe.cashier)
    OrderFactory(location=LocationFactory())

    with django_assert_max_num_queries(20):
        config = config_of(cashier_client.get("/pos/orders/"))

    assert [order["id"] for order in config["orders"]] == [open_order.pk, done.pk]
    assert config["orders"][0]["number"] == open_order.display_number


def test_the_floor_plan_starts_from_each_tables_derived_status(cafe, cashier_client):
    OrderFactory(location=cafe.location, staff=cafe.cashier, type=OrderType.DINE_IN, table=cafe.table)

    config = config_of(cashier_client.get("/pos/floor/"))

    assert [(t["table_id"], t["status"]) for t in config["statuses"]] == [(cafe.table.pk, "OCCUPIED")]
    assert config["tables"][0] | {"id": None} == {"id": None, "label": "7", "area": cafe.table.area.name,
        "seats": 4, "x": cafe.table.grid_x, "y": cafe.table.grid_y}  # fmt: skip


def test_the_shift_page_shows_this_terminals_open_shift(cafe, cashier_client):
    shift = ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier, opening_float=Decimal("150.00"))

    config = config_of(cashier_client.get("/pos/shift/"))

    assert (config["shift"]["id"], config["shift"]["opening_float"], config["last_closed"]) == (shift.pk, 15000, None)


def test_the_shift_page_starts_with_the_cash_moved_and_the_cash_expected(
    cafe, cashier_client, django_assert_max_num_queries
):
    # Given an open drawer with more cash moves than the page lists, and a cash sale
    shift = ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier, opening_float=Decimal("150.00"))
    for n in range(SHIFT_MOVEMENTS_SHOWN + 2):
        shift_cash_move(shift=shift, staff=cafe.cashier, amount=Decimal("1.00"), reason=f"coins {n}")
    shift_cash_move(shift=shift, staff=cafe.cashier, amount=Decimal("-7.50"), reason="milk")
    order = OrderFactory(
        location=cafe.location, staff=cafe.cashier, terminal=cafe.terminal, lines=[line(cafe.croissant)]
    )
    payment_add(order=order, staff=cafe.cashier, tender=Tender.CASH, amount=Decimal("2.00"), shift=shift)

    # When the shift page loads (in a bounded number of queries)
    with django_assert_max_num_queries(20):
        config = config_of(cashier_client.get("/pos/shift/"))

    # Then it lists the newest moves, oldest first, and expects float + moves + sale in the drawer
    movements = config["movements"]
    assert len(movements) == SHIFT_MOVEMENTS_SHOWN
    assert [m["reason"] for m in movements[-2:]] == [f"coins {SHIFT_MOVEMENTS_SHOWN + 1}", "milk"]
    assert movements[-1]["amount"] == -750
    assert config["expected_cash"] == 15000 + (SHIFT_MOVEMENTS_SHOWN + 2) * 100 - 750 + 200


def test_the_register_and_orders_pages_know_whether_this_terminals_drawer_is_open(cafe, cashier_client):
    assert [config_of(cashier_client.get(path))["drawer_open"] for path in ("/pos/", "/pos/orders/")] == [False] * 2

    ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier)

    assert [config_of(cashier_client.get(path))["drawer_open"] for path in ("/pos/", "/pos/orders/")] == [True] * 2


def test_the_status_page_names_the_app_version_the_service_worker_has(cashier_client):
    version = re.search(r"var CONFIG = (\{.*?\});", Client().get("/pos/sw.js").content.decode()).group(1)

    config = config_of(cashier_client.get("/pos/status/"))

    assert config["version"] == json.loads(version)["version"]


# -- the receipt ---------------------------------------------------------------------------------------------


def test_the_receipt_shows_number_lines_modifiers_tax_per_rate_tenders_and_change(cafe, cashier_client):
    shift = ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier)
    order = OrderFactory(
        location=cafe.location,
        staff=cafe.cashier,
        terminal=cafe.terminal,
        lines=[line(cafe.latte, 2, [cafe.size_large, cafe.oat_milk], note="extra hot"), line(cafe.croissant)],
    )  # 2 × (3.50 + 0.60 + 0.40) + 2.00 = 11.00
    payment_add(order=order, staff=cafe.cashier, tender=Tender.CARD, amount=Decimal("5.00"), card_last4="4242")
    payment_add(order=order, staff=cafe.cashier, tender=Tender.CASH, amount=Decimal("6.00"), tendered=Decimal("10.00"),
        shift=shift)  # fmt: skip

    page = cashier_client.get(f"/pos/orders/{order.pk}/receipt/").content.decode()

    order.refresh_from_db()
    assert f"data-receipt-number>{order.receipt_number:06d}<" in page
    # English as written in France (the factory's location): "0,60 €".
    for text in ["2×", "Latte", "Large 0,60\xa0€", "Oat milk 0,40\xa0€", "“extra hot”", "Croissant", "Card ····4242"]:
        assert text in page
    values = dict(re.findall(r'data-receipt="([^"]+)">([^<]+)<', page))
    # Tax included: 9.00 × 10/110 = 0.82, 2.00 × 5.5/105.5 = 0.10
    assert values == {
        "subtotal": "11,00\xa0€", "tax-5.50": "0,10\xa0€", "tax-10.00": "0,82\xa0€", "total": "11,00\xa0€",
        "tender-1": "5,00\xa0€", "tender-2": "6,00\xa0€", "change-2": "4,00\xa0€",
    }  # fmt: skip


def test_the_receipt_is_in_the_locations_language_and_time_zone_whoever_prints_it(cafe, cashier_client):
    """A German cafe's receipt: German amounts and the Berlin wall clock, even when the till speaks English."""
    Location.objects.filter(pk=cafe.location.pk).update(country="DE", language="de", time_zone="Europe/Berlin")
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.croissant, 700)])
    Order.objects.filter(pk=order.pk).update(created_at=datetime.datetime(2026, 12, 4, 20, 9, tzinfo=datetime.UTC))

    page = cashier_client.get(f"/pos/orders/{order.pk}/receipt/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    values = dict(re.findall(r'data-receipt="([^"]+)">([^<]+)<', page))
    assert values["total"] == "1.400,00\xa0€"
    assert "04.12.26, 21:09" in page


SELLER = {
    "legal_name": "Café Lumière SAS",
    "address": "12 rue de la Paix\n75002 Paris",
    "tax_number": "FR40123456789",
    "receipt_footer": "Wi-Fi: lumiere / croissant",
}


def test_the_receipt_names_the_seller_as_the_law_asks_and_prints_the_footer(cafe, cashier_client):
    Location.objects.filter(pk=cafe.location.pk).update(**SELLER)
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.croissant)])

    page = cashier_client.get(f"/pos/orders/{order.pk}/receipt/").content.decode()

    seller = dict(re.findall(r'data-receipt-seller="([^"]+)">([^<]*(?:<br>[^<]*)*)<', page))
    assert seller == {
        "legal-name": "Café Lumière SAS",
        "address": "12 rue de la Paix<br>75002 Paris",
        "tax-number": "VAT/tax no. FR40123456789",
    }
    assert "<p data-receipt-footer>Wi-Fi: lumiere / croissant</p>" in page and "Thank you!" not in page


def test_a_receipt_without_seller_details_prints_the_name_and_thanks(cafe, cashier_client):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.croissant)])

    page = cashier_client.get(f"/pos/orders/{order.pk}/receipt/").content.decode()

    assert "data-receipt-seller" not in page and 'class="seller"' not in page
    assert "<p data-receipt-footer>Thank you!</p>" in page


def test_an_unpaid_order_prints_as_a_bill_with_what_is_due(cafe, cashier_client):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])

    page = cashier_client.get(f"/pos/orders/{order.pk}/receipt/").content.decode()

    assert "Not paid yet" in page and "Due 8,00\xa0€" in page


# -- splitting the bill -------------------------------------------------------------------------------------


def post_split(client, order, body):
    return client.post(f"/pos/orders/{order.pk}/split/", body, content_type="application/json")


def test_the_bill_splits_evenly_into_checks_in_minor_units(cafe, cashier_client):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast), line(cafe.croissant)])

    response = post_split(cashier_client, order, {"parts": 3})

    assert response.status_code == 200
    assert [check["amount"] for check in response.json()["checks"]] == [334, 333, 333]


def test_a_refused_split_answers_in_the_one_error_shape_with_secrets_redacted(cafe, cashier_client, monkeypatch):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast), line(cafe.croissant)])

    def refuse(**_):
        raise ApplicationError("order.invalid_split", "parts 4111 1111 1111 1111", {"parts": ["pin=918273"]})

    monkeypatch.setattr("orders.services.order_split_even", refuse)
    response = post_split(cashier_client, order, {"parts": 2})

    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "order.invalid_split", "message": "parts [REDACTED]", "fields": {"parts": ["pin=[REDACTED]"]}}
    }


def test_the_bill_splits_by_items(cafe, cashier_client):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast), line(cafe.croissant)])
    toast, croissant = order.lines.order_by("pk")

    response = post_split(cashier_client, order, {"groups": [[croissant.pk], [toast.pk]]})

    checks = response.json()["checks"]
    assert [(c["check_number"], c["amount"], c["line_ids"]) for c in checks] == [
        (1, 200, [croissant.pk]), (2, 800, [toast.pk])
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "code"),
    [({"parts": 1}, "order.invalid_split"), ({"groups": [[1]]}, "order.invalid_split"), ([], "validation_error")],
)
def test_a_bad_split_is_refused_in_the_error_shape(cafe, cashier_client, body, code):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])

    response = post_split(cashier_client, order, body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_splitting_by_items_after_a_payment_is_refused(cafe, cashier_client):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast), line(cafe.croissant)])
    payment_add(order=order, staff=cafe.cashier, tender=Tender.CARD, amount=Decimal("1.00"))
    ids = list(order.lines.values_list("pk", flat=True))

    response = post_split(cashier_client, order, {"groups": [[ids[0]], [ids[1]]]})

    assert (response.status_code, response.json()["error"]["code"]) == (409, "order.split_after_payment")


# -- the installable app ------------------------------------------------------------------------------------


def test_the_manifest_makes_the_register_an_installable_landscape_app():
    response = Client().get("/pos/manifest.webmanifest")

    manifest = response.json()
    assert response["Content-Type"] == "application/manifest+json"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/pos/", "/pos/", "standalone")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_the_service_worker_caches_every_asset_of_the_pages_and_changes_version_with_them(cashier_client):
    response = Client().get("/pos/sw.js")

    assert response["Content-Type"] == "text/javascript" and response["Cache-Control"] == "no-cache"
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", response.content.decode()).group(1))
    assert config["scope"] == "/pos/" and config["pages"] == PAGES
    assert config["data"] == ["/api/v1/menu/", "/api/v1/tables/"]
    for path in PAGES:
        page = cashier_client.get(path).content.decode()
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
            assert asset in config["assets"]
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])


def test_all_javascript_and_css_of_the_register_weigh_at_most_100_kb_gzipped(cashier_client):
    page = cashier_client.get("/pos/").content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="/static/([^"]+\.(?:js|css))"', page)

    weight = sum(len(gzip.compress(Path(finders.find(path)).read_bytes(), 9)) for path in assets)

    assert len(assets) >= 8
    assert weight <= BUDGET_GZIPPED, f"{weight} bytes gzipped"


def test_a_served_and_paid_order_is_completed_so_it_leaves_the_open_list(cafe, cashier_client):
    order = order_at_status(OrderStatus.READY, location=cafe.location, staff=cafe.cashier)
    order_status_set(order=order, staff=cafe.cashier, status=OrderStatus.SERVED, version=order.version)
    payment_add(order=order, staff=cafe.cashier, tender=Tender.CARD, amount=order.balance_due)

    config = config_of(cashier_client.get("/pos/orders/"))

    assert [(o["id"], o["status"]) for o in config["orders"]] == [(order.pk, "COMPLETED")]


# -- an order's own address, its payments, and finding one by number -----------------------------------------


def test_an_orders_address_opens_the_orders_screen_with_it_chosen_even_when_old(cafe, cashier_client):
    old = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])
    order_status_set(order=old, staff=cafe.manager, status=OrderStatus.CANCELLED, version=old.version)
    for _ in range(31):  # the recent list holds 30: the old one is off it
        order_at_status(OrderStatus.COMPLETED, location=cafe.location, staff=cafe.cashier)

    config = config_of(cashier_client.get(f"/pos/orders/{old.pk}/"))

    assert config["selected"] == old.pk
    assert old.pk in [order["id"] for order in config["orders"]]


def test_another_locations_order_has_no_address_and_no_payments_here(cashier_client):
    elsewhere = OrderFactory(location=LocationFactory())

    assert cashier_client.get(f"/pos/orders/{elsewhere.pk}/").status_code == 404
    assert cashier_client.get(f"/pos/orders/{elsewhere.pk}/payments/").status_code == 404


def test_an_orders_payments_say_what_each_can_still_give_back(cafe, cashier_client):
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])
    payment_add(order=order, staff=cafe.cashier, tender=Tender.CARD, amount=Decimal("8.00"))

    [payment] = cashier_client.get(f"/pos/orders/{order.pk}/payments/").json()["payments"]

    assert (payment["tender"], payment["amount"], payment["refunded_amount"]) == ("CARD", 800, 0)


def find(client, **query):
    return client.get("/pos/orders/search/", {"by": "number", "days": 0, **query})


def test_an_order_is_found_by_number_or_receipt_number_within_the_days_asked(
    cafe, cashier_client, django_assert_max_num_queries
):
    today = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])
    paid = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.toast)])
    payment_add(order=paid, staff=cafe.cashier, tender=Tender.CARD, amount=Decimal("8.00"))
    paid.refresh_from_db()
    Order.objects.filter(pk=paid.pk).update(business_day=paid.business_day - datetime.timedelta(days=3))
    OrderFactory(location=LocationFactory())  # another location's #0001

    def found(**query):
        return [order["id"] for order in find(cashier_client, **query).json()["orders"]]

    with django_assert_max_num_queries(12):  # the terminal, the staff member, the lookup and its lines
        assert found(q=today.display_number) == [today.pk]
    assert found(q=str(today.number)) == [today.pk]
    assert found(by="receipt", q=str(paid.receipt_number)) == []  # three days back: not today
    assert found(by="receipt", q=str(paid.receipt_number), days=3) == [paid.pk]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"q": "abc"}, "q"),
        ({"q": "99999999999"}, "q"),
        ({"q": "0"}, "q"),
        ({"q": "1", "days": 32}, "days"),
        ({"q": "1", "days": -1}, "days"),
        ({"q": "1", "by": "table"}, "by"),
        ({"q": "1" * 30}, "q"),
    ],
)
def test_a_search_out_of_bounds_is_a_400_naming_its_field(cashier_client, query, field):
    response = find(cashier_client, **query)

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
