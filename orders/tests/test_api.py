"""Orders, shifts, tickets and tables through real HTTP requests: the contract's shapes, exactly-once writes,
cursor pages, locations, and every kind of bad input answered with a 4xx in the error shape."""

import base64
import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.api import api_as, api_as_terminal, api_with_key
from accounts.tests.factories import LocationFactory, MembershipFactory, paired_terminal, staff
from cafepos.tests.concurrency import run_concurrently
from menu.models import Station
from menu.tests.factories import MenuItemFactory, ModifierFactory, ModifierGroupFactory
from orders.models import Order, OrderStatus
from orders.tests.factories import OrderFactory, ShiftFactory, line
from tables.tests.factories import TableFactory

pytestmark = pytest.mark.django_db

ORDER_FIELDS = {
    "id", "number", "location_id", "business_day", "type", "source", "external_id", "table_id", "status",
    "payment_status", "version", "currency", "customer", "note", "items", "subtotal", "discount_total",
    "tax_total", "tip_total", "total", "paid_total", "balance_due", "receipt_number", "created_at", "updated_at",
}  # fmt: skip


@pytest.fixture
def flat_white(location):
    milk = ModifierGroupFactory(location=location, name="Milk")
    ModifierFactory(group=milk, name="Oat milk", price_delta=Decimal("0.50"))
    return MenuItemFactory(
        location=location, name="Flat white", price=Decimal("3.50"), station=Station.BAR, modifier_groups=[milk]
    )


@pytest.fixture
def api(cashier):
    return api_as(cashier)


def post(client, path, body, *, key=None, **extra):
    """A POST with a fresh Idempotency-Key unless one is given (pass key="" to send none)."""
    if key is None:
        key = str(uuid.uuid4())
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(path, body, format="json", **headers, **extra)


def cart(item, quantity=1, **fields):
    return {"type": "TAKEAWAY", "items": [{"menu_item_id": item.pk, "quantity": quantity}], **fields}


def error(response, status):
    assert response.status_code == status, response.content[:400]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


# Creating and reading ----------------------------------------------------------------------------------


def test_an_order_is_created_in_the_contracts_shape_with_money_in_minor_units(api, flat_white):
    oat = flat_white.modifier_groups.get().modifiers.get()
    body = {
        "type": "TAKEAWAY",
        "items": [{"menu_item_id": flat_white.pk, "quantity": 2, "modifier_ids": [oat.pk], "note": "extra hot"}],
        "tip": 100,
        "customer": {"name": "Ada"},
    }

    response = post(api, "/api/v1/orders/", body)

    assert response.status_code == 201
    order = response.json()
    assert set(order) == ORDER_FIELDS
    assert (order["subtotal"], order["tax_total"], order["tip_total"], order["total"]) == (800, 73, 100, 900)
    assert (order["currency"], order["status"], order["source"], order["number"]) == ("EUR", "PENDING", "POS", "#0001")
    assert order["items"][0]["modifiers"] == [{"id": oat.pk, "name": "Oat milk", "price_delta": 50}]
    assert order["customer"] == {"name": "Ada", "phone": None, "email": None, "address": None}
    assert datetime.datetime.fromisoformat(order["created_at"]).utcoffset() is not None
    assert api.get(f"/api/v1/orders/{order['id']}/").json() == order


def test_a_quote_prices_the_cart_and_saves_nothing(api, flat_white):
    response = api.post("/api/v1/orders/quote/", cart(flat_white, 3, discount={"percent": "10", "reason": "Staff"}))

    assert response.status_code == 200
    assert (response.json()["subtotal"], response.json()["discount_total"], response.json()["total"]) == (
        1050,
        105,
        945,
    )
    assert response.json()["taxes"] == [{"rate": "10.00", "amount": 86}]
    assert not Order.objects.exists()


def test_a_dine_in_order_occupies_its_table(api, flat_white, location):
    table = TableFactory(location=location)

    order = post(api, "/api/v1/orders/", {**cart(flat_white), "type": "DINE_IN", "table_id": table.pk}).json()
    tables = api.get("/api/v1/tables/").json()["results"]

    assert tables == [
        {
            "table_id": table.pk,
            "label": table.label,
            "area_id": table.area_id,
            "seats": table.seats,
            "status": "OCCUPIED",
            "open_order_ids": [order["id"]],
        }
    ]


def test_tickets_are_listed_per_station(api, flat_white, location):
    toast = MenuItemFactory(location=location, station=Station.KITCHEN)
    body = {"type": "TAKEAWAY", "items": [{"menu_item_id": flat_white.pk}, {"menu_item_id": toast.pk}]}
    post(api, "/api/v1/orders/", body)

    everything = api.get("/api/v1/tickets/").json()["results"]
    bar = api.get("/api/v1/tickets/?station=BAR").json()["results"]

    assert sorted(ticket["station"] for ticket in everything) == ["BAR", "KITCHEN"]
    assert [ticket["station"] for ticket in bar] == ["BAR"]
    error(api.get("/api/v1/tickets/?station=GRILL"), 400)


def test_an_order_taken_on_a_terminal_records_the_terminal_and_the_staff_member(location, cashier, flat_white):
    terminal, secret = paired_terminal(location=location)

    response = post(api_as_terminal(secret, cashier), "/api/v1/orders/", cart(flat_white))

    order = Order.objects.get(pk=response.json()["id"])
    assert (order.terminal_id, order.staff_id) == (terminal.pk, cashier.pk)


def test_an_integrator_creates_an_order_with_its_own_source_and_id(location, flat_white):
    client = api_with_key(location, ["orders:write", "orders:read"])

    created = post(client, "/api/v1/orders/", cart(flat_white, source="Deliveroo", external_id="D-1"))
    duplicate = post(client, "/api/v1/orders/", cart(flat_white, source="Deliveroo", external_id="D-1"))
    default_source = post(client, "/api/v1/orders/", cart(flat_white))

    assert (created.status_code, created.json()["source"], created.json()["external_id"]) == (201, "Deliveroo", "D-1")
    assert error(duplicate, 409)["code"] == "order.duplicate_external_id"
    assert default_source.json()["source"] == "API"
    assert Order.objects.get(pk=created.json()["id"]).staff_id is None


# The order's life through the API ----------------------------------------------------------------------


def test_items_void_discount_payment_refund_and_serve(location, cashier, manager, flat_white):
    api = api_as(cashier)
    order = post(api, "/api/v1/orders/", cart(flat_white)).json()

    added = post(api, f"/api/v1/orders/{order['id']}/items/", {"items": cart(flat_white)["items"], "version": 1})
    line_id = added.json()["items"][1]["id"]
    voided = post(
        api, f"/api/v1/orders/{order['id']}/items/{line_id}/void/", {"reason": "Spilled", "version": 2}
    ).json()
    discounted = post(
        api, f"/api/v1/orders/{order['id']}/discounts/", {"amount": 30, "reason": "Regular", "version": 3}
    )
    paid = post(api, f"/api/v1/orders/{order['id']}/payments/", {"tender": "CARD", "amount": 320, "card_last4": "4242"})
    refunded = post(
        api_as(manager),
        f"/api/v1/orders/{order['id']}/refunds/",
        {"payment_id": paid.json()["payment"]["id"], "amount": 20, "reason": "Cold"},
    )

    assert (added.status_code, added.json()["subtotal"]) == (200, 700)
    assert (voided["items"][1]["voided"], voided["subtotal"]) == (True, 350)
    assert (discounted.status_code, discounted.json()["total"]) == (200, 320)
    assert paid.status_code == 201
    assert (paid.json()["payment"]["amount"], paid.json()["order"]["payment_status"]) == (320, "PAID")
    assert refunded.status_code == 201
    assert (refunded.json()["refund"]["amount"], refunded.json()["order"]["paid_total"]) == (20, 300)


def test_a_stale_version_is_a_409(api, flat_white):
    order = post(api, "/api/v1/orders/", cart(flat_white)).json()
    post(api, f"/api/v1/orders/{order['id']}/items/", {"items": cart(flat_white)["items"], "version": 1})

    stale = post(api, f"/api/v1/orders/{order['id']}/status/", {"status": "CANCELLED", "version": 1})

    assert error(stale, 409)["code"] == "order.version_conflict"


def test_an_illegal_transition_is_refused_with_its_code(api, flat_white):
    order = post(api, "/api/v1/orders/", cart(flat_white)).json()

    served_too_early = post(api, f"/api/v1/orders/{order['id']}/status/", {"status": "SERVED", "version": 1})
    not_a_target = post(api, f"/api/v1/orders/{order['id']}/status/", {"status": "READY", "version": 1})

    assert error(served_too_early, 409)["code"] == "order.illegal_transition"
    assert "status" in error(not_a_target, 400)["fields"]


def test_a_shift_opens_on_the_calling_terminal_takes_cash_and_closes_with_a_z_report(location, cashier, flat_white):
    terminal, _ = paired_terminal(location=location)
    till = api_as(cashier, terminal=terminal)  # a token obtained with her PIN on that terminal

    shift = post(till, "/api/v1/shifts/", {"opening_float": 10000}).json()
    order = post(till, "/api/v1/orders/", cart(flat_white)).json()
    cash = post(till, f"/api/v1/orders/{order['id']}/payments/", {"tender": "CASH", "amount": 500}).json()
    post(till, f"/api/v1/shifts/{shift['id']}/cash-movements/", {"amount": -1000, "reason": "Bank"})
    closed = post(till, f"/api/v1/shifts/{shift['id']}/close/", {"counted_cash": 9300})

    assert (shift["terminal_id"], shift["opening_float"]) == (terminal.pk, 10000)
    assert (cash["payment"]["change_due"], cash["payment"]["shift_id"]) == (150, shift["id"])
    assert closed.status_code == 200
    assert (closed.json()["expected_cash"], closed.json()["variance"]) == (9350, -50)
    assert closed.json()["z_report"]["tenders"]["CASH"] == {"count": 1, "amount": 350, "tips": 0}
    assert till.get("/api/v1/shifts/").json()["results"][0]["id"] == shift["id"]


def test_a_shift_needs_a_terminal(api):
    refused = post(api, "/api/v1/shifts/", {"opening_float": 10000})

    assert error(refused, 400)["code"] == "shift.terminal_required"


# Exactly once ------------------------------------------------------------------------------------------


def test_a_write_without_an_idempotency_key_is_refused_and_does_nothing(api, flat_white):
    refused = post(api, "/api/v1/orders/", cart(flat_white), key="")

    assert error(refused, 400)["code"] == "idempotency.key_required"
    assert not Order.objects.exists()


def test_a_replay_returns_the_original_status_and_body_and_creates_nothing(api, flat_white):
    first = post(api, "/api/v1/orders/", cart(flat_white), key="order-1")
    replay = post(api, "/api/v1/orders/", cart(flat_white), key="order-1")

    assert (replay.status_code, replay.json()) == (first.status_code, first.json())
    assert replay["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Order.objects.count() == 1


def test_a_key_reused_with_another_body_is_a_409(api, flat_white):
    post(api, "/api/v1/orders/", cart(flat_white), key="order-1")

    conflict = post(api, "/api/v1/orders/", cart(flat_white, 2), key="order-1")

    assert error(conflict, 409)["code"] == "idempotency.key_reused"
    assert Order.objects.count() == 1


def test_keys_are_scoped_to_the_caller(location, flat_white):
    first, second = api_as(staff(location, Role.CASHIER)), api_as(staff(location, Role.CASHIER))

    post(first, "/api/v1/orders/", cart(flat_white), key="same-key")
    post(second, "/api/v1/orders/", cart(flat_white), key="same-key")

    assert Order.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(api, flat_white):
    flat_white.is_sold_out = True
    flat_white.save()
    refused = post(api, "/api/v1/orders/", cart(flat_white), key="retry-me")
    flat_white.is_sold_out = False
    flat_white.save()

    retried = post(api, "/api/v1/orders/", cart(flat_white), key="retry-me")

    assert error(refused, 409)["code"] == "menu.item_sold_out"
    assert retried.status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_creates_make_one_order(location, cashier, flat_white):
    body = cart(flat_white)

    statuses = run_concurrently(
        6, lambda _: post(api_as(cashier), "/api/v1/orders/", body, key="double-tap").status_code
    )

    assert Order.objects.count() == 1
    assert set(statuses) <= {201, 409} and 201 in statuses


# Cursor pages ------------------------------------------------------------------------------------------


def test_cursor_pages_walk_every_order_once_newest_first_while_new_ones_arrive(api, location, flat_white):
    orders = [OrderFactory(location=location, lines=[line(flat_white)]) for _ in range(45)]
    same_moment = timezone.now() - datetime.timedelta(hours=1)
    Order.objects.filter(pk__in=[o.pk for o in orders[10:20]]).update(created_at=same_moment)  # ties on time
    expected = [o.pk for o in sorted(orders, key=lambda o: (o.pk not in [x.pk for x in orders[10:20]], o.pk))][::-1]

    seen, cursor, pages = [], None, 0
    while True:
        page = api.get("/api/v1/orders/", {"limit": 20, **({"cursor": cursor} if cursor else {})}).json()
        seen += [order["id"] for order in page["results"]]
        pages += 1
        if pages == 1:
            OrderFactory(location=location, lines=[line(flat_white)])  # arrives while the client is paging
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert seen == expected


def test_the_default_page_is_20_and_filters_apply(api, location, flat_white):
    table = TableFactory(location=location)
    for _ in range(22):
        OrderFactory(location=location, lines=[line(flat_white)])
    dine_in = OrderFactory(location=location, type="DINE_IN", table=table, lines=[line(flat_white)])

    default = api.get("/api/v1/orders/").json()
    by_table = api.get(f"/api/v1/orders/?table_id={table.pk}&type=DINE_IN&status=PENDING").json()
    later = api.get("/api/v1/orders/", {"created_after": timezone.now().isoformat()}).json()

    assert len(default["results"]) == 20 and default["next_cursor"]
    assert [order["id"] for order in by_table["results"]] == [dine_in.pk]
    assert later == {"results": [], "next_cursor": None}


@pytest.mark.parametrize(
    "query",
    ["limit=101", "limit=1000000000000000000000", "limit=0", "limit=-5", "limit=ten", "cursor=not-a-cursor",
     "cursor=WzEsMl0", "status=LOST", "table_id=abc", "table_id=99999999999999999999", "created_after=yesterday",
     "cursor=" + base64.urlsafe_b64encode(b"[" * 100_000 + b"]" * 100_000).decode()],  # nested: was a 500
)  # fmt: skip
def test_bad_list_parameters_are_400s(api, query):
    assert error(api.get(f"/api/v1/orders/?{query}"), 400)["code"] == "validation_error"


# Locations ---------------------------------------------------------------------------------------------


@pytest.fixture
def two_cafes(location):
    harbour = LocationFactory(organization=location.organization)
    owner = staff(location, Role.OWNER)
    return location, harbour, owner


def test_an_owner_of_several_locations_must_name_one(two_cafes, flat_white):
    _, _, owner = two_cafes

    refused = api_as(owner).get("/api/v1/orders/")

    assert error(refused, 400)["code"] == "location.required"


def test_the_location_comes_from_the_query_or_the_body(two_cafes, flat_white):
    central, harbour, owner = two_cafes
    toast = MenuItemFactory(location=harbour)
    client = api_as(owner)

    by_query = post(client, f"/api/v1/orders/?location={central.pk}", cart(flat_white))
    by_body = post(client, "/api/v1/orders/", cart(toast, location_id=harbour.pk))
    listed = client.get(f"/api/v1/orders/?location={harbour.pk}").json()["results"]

    assert (by_query.status_code, by_query.json()["location_id"]) == (201, central.pk)
    assert (by_body.status_code, by_body.json()["location_id"]) == (201, harbour.pk)
    assert [order["id"] for order in listed] == [by_body.json()["id"]]


def test_a_location_that_is_not_the_callers_is_404(two_cafes, cashier, flat_white):
    central, harbour, owner = two_cafes
    foreign = LocationFactory()

    assert error(api_as(owner).get(f"/api/v1/orders/?location={foreign.pk}"), 404)["code"] == "location.not_found"
    assert error(api_as(cashier).get(f"/api/v1/menu/?location={harbour.pk}"), 404)["code"] == "location.not_found"
    assert error(api_as(owner).get("/api/v1/orders/?location=abc"), 400)["code"] == "validation_error"


def test_an_api_key_is_bound_to_its_location(two_cafes, flat_white):
    central, harbour, _ = two_cafes
    client = api_with_key(central, ["orders:read"])

    assert client.get(f"/api/v1/orders/?location={central.pk}").status_code == 200
    assert error(client.get(f"/api/v1/orders/?location={harbour.pk}"), 404)["code"] == "location.not_found"


def test_a_cashier_with_roles_at_two_locations_names_one(location, flat_white):
    cashier = staff(location, Role.CASHIER)
    MembershipFactory(user=cashier, location=LocationFactory(), role=Role.CASHIER)

    assert error(api_as(cashier).get("/api/v1/menu/"), 400)["code"] == "location.required"
    assert api_as(cashier).get(f"/api/v1/menu/?location={location.pk}").status_code == 200


def test_another_locations_objects_are_404_never_403(api, location, flat_white):
    elsewhere = LocationFactory()
    order = OrderFactory(location=elsewhere)
    shift = ShiftFactory(terminal=paired_terminal(location=elsewhere)[0])
    line_id = order.lines.get().pk

    responses = [
        api.get(f"/api/v1/orders/{order.pk}/"),
        post(api, f"/api/v1/orders/{order.pk}/status/", {"status": "CANCELLED", "version": order.version}),
        post(api, f"/api/v1/orders/{order.pk}/items/{line_id}/void/", {"reason": "x", "version": order.version}),
        api.get(f"/api/v1/shifts/{shift.pk}/"),
        post(api, f"/api/v1/shifts/{shift.pk}/close/", {"counted_cash": 0}),
    ]

    assert [response.status_code for response in responses] == [404] * 5
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


# Bad input: always a 4xx in the error shape, never a 500 -----------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": 1, "quantity": "many"}]}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": "everything"}, 400, "validation_error"),
        ({"type": "SPACESHIP", "items": []}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": 10**30}]}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": True}]}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": [], "tip": 1.5}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": [], "tip": 10**20}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": []}, 400, "order.invalid_items"),
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": 999999}]}, 400, "menu.item_unavailable"),
        ({"type": "DINE_IN", "items": [{"menu_item_id": 1}]}, 400, "order.table_required"),
        ({"type": "DINE_IN", "table_id": 999999, "items": [{"menu_item_id": 1}]}, 400, "table.not_found"),
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": 1}], "discount": {"amount": "lots"}}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": 1}], "discount": [{"amount": 10}]}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": 1}], "customer": "Ada"}, 400, "validation_error"),
        ({"type": "TAKEAWAY", "items": [{"menu_item_id": 1}], "location_id": "abc"}, 400, "validation_error"),
        ([1, 2, 3], 400, "validation_error"),
        ("just a string", 400, "validation_error"),
    ],
)
def test_bad_order_bodies_are_refused_with_a_code(api, flat_white, body, status, code):
    body = json.loads(json.dumps(body).replace('"menu_item_id": 1}', f'"menu_item_id": {flat_white.pk}}}'))

    assert error(post(api, "/api/v1/orders/", body), status)["code"] == code
    assert not Order.objects.exists()


def test_another_locations_menu_item_or_table_is_refused_like_an_unknown_one(api, location):
    elsewhere = LocationFactory()
    foreign_item, foreign_table = MenuItemFactory(location=elsewhere), TableFactory(location=elsewhere)
    own_item = MenuItemFactory(location=location)

    item_refused = post(api, "/api/v1/orders/", {"type": "TAKEAWAY", "items": [{"menu_item_id": foreign_item.pk}]})
    table_refused = post(
        api,
        "/api/v1/orders/",
        {"type": "DINE_IN", "table_id": foreign_table.pk, "items": [{"menu_item_id": own_item.pk}]},
    )

    assert error(item_refused, 400)["code"] == "menu.item_unavailable"
    assert error(table_refused, 400)["code"] == "table.not_found"


def test_malformed_json_and_an_oversized_body_are_refused(api, settings):
    malformed = api.post(
        "/api/v1/orders/", '{"type": "TAKEAWAY", "items": [', content_type="application/json", HTTP_IDEMPOTENCY_KEY="a"
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    oversized = api.post(
        "/api/v1/orders/",
        json.dumps({"type": "TAKEAWAY", "items": [], "note": "x" * 20_000}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="b",
    )

    assert error(malformed, 400)["code"] == "malformed_request"
    assert error(oversized, 413)["code"] == "request_too_large"


@pytest.mark.parametrize(
    "path", ["/api/v1/orders/999999/", "/api/v1/orders/99999999999999999999/", "/api/v1/orders/abc/"]
)
def test_unknown_order_ids_are_404(api, path):
    assert error(api.get(path), 404)["code"] == "not_found"


def test_a_payment_for_an_unknown_shift_or_a_refund_of_another_orders_payment_is_refused(location, manager, flat_white):
    client = api_as(manager)
    order = post(client, "/api/v1/orders/", cart(flat_white)).json()
    other = post(client, "/api/v1/orders/", cart(flat_white)).json()
    paid = post(client, f"/api/v1/orders/{other['id']}/payments/", {"tender": "CARD", "amount": 350}).json()

    unknown_shift = post(
        client, f"/api/v1/orders/{order['id']}/payments/", {"tender": "CASH", "amount": 350, "shift_id": 999999}
    )
    wrong_payment = post(
        client,
        f"/api/v1/orders/{order['id']}/refunds/",
        {"payment_id": paid["payment"]["id"], "amount": 100, "reason": "x"},
    )

    assert error(unknown_shift, 400)["code"] == "shift.not_found"
    assert error(wrong_payment, 400)["code"] == "payment.not_found"


def test_a_card_payment_above_the_balance_is_refused_by_the_service(api, flat_white):
    order = post(api, "/api/v1/orders/", cart(flat_white)).json()

    refused = post(api, f"/api/v1/orders/{order['id']}/payments/", {"tender": "CARD", "amount": 351})

    assert error(refused, 400)["code"] == "payment.exceeds_balance"


def test_order_reads_use_a_bounded_number_of_queries(api, location, flat_white, django_assert_max_num_queries):
    for _ in range(20):
        OrderFactory(location=location, lines=[line(flat_white), line(flat_white)])

    with django_assert_max_num_queries(10):
        response = api.get("/api/v1/orders/?limit=20")

    assert len(response.json()["results"]) == 20


def test_anonymous_callers_are_401(flat_white):
    assert error(APIClient().get("/api/v1/orders/"), 401)["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["/api/v1/orders/", "/api/v1/menu/", "/api/v1/me/", "/api/v1/shifts/"])
def test_unsupported_methods_are_405_and_options_answers(api, path):
    assert error(api.generic("TRACE", path), 405)["code"] == "method_not_allowed"
    assert error(api.delete(path), 405)["code"] == "method_not_allowed"
    assert api.options(path).status_code == 200
