"""Who reaches what, beyond the API's role table (orders/tests/test_api_roles.py): the pages and the sockets by
kind of caller, and every API object type from another location.

Expectations are written out by hand, as in the role table.
"""

import pytest
from django.test import Client

from accounts.models import Role, Terminal
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from cafepos.tests.sockets import conversation
from orders.models import Order, Payment, Refund, Shift
from orders.tests.factories import OrderFactory
from pos.tests.pos import pos_client
from testing.cafes import terminal_session_cookies
from testing.role_matrix import EXPECTED, World, request_for

# Each column is a page, or pages that answer alike: the till's screens, its order lookup, an order of the
# caller's location ({order}) and what its payments can give back
TILL = ("/pos/", "/pos/status/", "/pos/orders/search/?by=number&q=1&days=0")
TILL += ("/pos/orders/{order}/", "/pos/orders/{order}/payments/")
PAGES = (TILL, "/kitchen/", "/backoffice/reports/", "/admin/", "/terminal/language/", "/backoffice/language/", "/")
PAIR, LOGIN = "/terminal/pair/", "/admin/login/"

# fmt: off
# caller: what each page answers (a status, or where it redirects); till is /pos/, /pos/status/ and the order
# lookup, reports is /backoffice/reports/, t-lang and bo-lang the language pickers /terminal/language/ and
# /backoffice/language/, / the start page
PAGE_TABLE = {
    #                                till         /kitchen/   reports /admin/ t-lang bo-lang /
    "anonymous":                     (PAIR,        PAIR,       LOGIN,  LOGIN,  PAIR,  LOGIN,  200),
    "owner, back office":            (PAIR,        PAIR,       200,    200,    PAIR,  200,    "/admin/"),
    "manager, back office":          (PAIR,        PAIR,       200,    200,    PAIR,  200,    "/admin/"),
    "cashier, back office":          (PAIR,        PAIR,       403,    LOGIN,  PAIR,  LOGIN,  200),
    "kitchen, back office":          (PAIR,        PAIR,       403,    LOGIN,  PAIR,  LOGIN,  200),
    "cashier on a POS terminal":     (200,         "/pos/",    403,    LOGIN,  200,   LOGIN,  "/pos/"),
    "manager on a POS terminal":     (200,         "/pos/",    403,    LOGIN,  200,   LOGIN,  "/pos/"),
    "kitchen on a POS terminal":     (403,         "/pos/",    403,    LOGIN,  200,   LOGIN,  "/pos/"),
    "kitchen on a kitchen terminal": ("/kitchen/", 200,        403,    LOGIN,  200,   LOGIN,  "/kitchen/"),
}
# fmt: on


def page_client(caller: str, location) -> Client:
    if caller == "anonymous":
        return Client()
    role_name, _, where = caller.partition(", ") if ", " in caller else caller.partition(" on a ")
    role = getattr(Role, role_name.upper())
    if where == "back office":
        client = Client()
        client.force_login(staff(location, role))
        return client
    if where == "POS terminal":
        return pos_client(location, role)[0]
    terminal, secret = paired_terminal(location=location, kind=Terminal.Kind.KITCHEN)
    client = Client()
    for name, value in terminal_session_cookies(terminal=terminal, secret=secret, user=staff(location, role)).items():
        client.cookies[name] = value
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("caller", PAGE_TABLE)
def test_page_access_by_kind_of_caller(caller):
    location = LocationFactory()
    order = OrderFactory(location=location)
    client = page_client(caller, location)

    for pages, expected in zip(PAGES, PAGE_TABLE[caller], strict=True):
        for page in (pages,) if isinstance(pages, str) else pages:
            page = page.format(order=order.pk)
            response = client.get(page)
            if isinstance(expected, int):
                assert response.status_code == expected, (page, response.status_code)
            else:
                assert response.status_code == 302, (page, response.status_code)
                assert response["Location"].split("?")[0] == expected, page


# Sockets: every role on both streams, with a JWT (pages' sessions are covered in realtime/tests/test_sockets.py)

# fmt: off
SOCKET_TABLE = {
    #          /ws/v1/kitchen/  /ws/v1/orders/
    "OWNER":   ("auth.ok",      "auth.ok"),
    "MANAGER": ("auth.ok",      "auth.ok"),
    "CASHIER": (4003,           "auth.ok"),
    "KITCHEN": ("auth.ok",      4003),
}
# fmt: on
STREAMS = ("/ws/v1/kitchen/?station=KITCHEN", "/ws/v1/orders/")


async def socket_answer(path: str, token: str):
    """`auth.ok`, or the close code the socket was refused with."""
    async with conversation(path) as client:
        accepted, _ = await client.connect(timeout=5)
        assert accepted
        await client.send_json_to({"type": "auth", "token": token})
        first = await client.receive_json_from(5)
        if first["type"] == "auth.ok":
            return "auth.ok"
        return (await client.receive_output(5))["code"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", SOCKET_TABLE)
async def test_socket_access_by_role_and_never_to_another_location(role):
    from asgiref.sync import sync_to_async

    from accounts.api.tokens import token_pair

    @sync_to_async
    def setup():
        location, elsewhere = LocationFactory(), LocationFactory()
        user = staff(location, getattr(Role, role))
        return elsewhere, token_pair(user=user)["access"]

    elsewhere, token = await setup()
    for path, expected in zip(STREAMS, SOCKET_TABLE[role], strict=True):
        assert await socket_answer(path, token) == expected, path
        separator = "&" if "?" in path else "?"
        assert await socket_answer(f"{path}{separator}location={elsewhere.pk}", token) == 4003, path


# Every object type of another location: not found, and untouched

NO_LOCATION = {"me", "locations", "schema"}
# The body (not the path) names the other location's object: a 400 naming it.
BODY_REFERENCE = {"order quote": "menu.item_unavailable", "order create": "menu.item_unavailable"}
BODY_REFERENCE["shift open"] = "terminal.not_found"
# Lists and reports of the caller's own location: the other location's objects are simply not in them.
OWN_LOCATION_ONLY = {"menu", "tables", "tickets", "order list", "shift list", "sales report"}


def fingerprint(world: World) -> dict:
    """What a write to the other location would change."""
    location = world.location
    return {
        "orders": list(Order.objects.filter(location=location).order_by("pk").values_list("pk", "version", "status")),
        "payments": Payment.objects.filter(order__location=location).count(),
        "refunds": Refund.objects.filter(payment__order__location=location).count(),
        "shifts": list(Shift.objects.filter(location=location).values_list("pk", "closed_at")),
        "sold_out": list(location.menu_items.values_list("pk", "is_sold_out")),
    }


@pytest.fixture(params=["owner of another organization", "manager of a sister location"])
def intruder(request):
    def make(theirs: World):
        if request.param == "owner of another organization":
            return staff(LocationFactory(), Role.OWNER)
        return staff(LocationFactory(organization=theirs.location.organization), Role.MANAGER)

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", sorted(set(EXPECTED) - NO_LOCATION))
def test_another_locations_objects_are_not_found_and_not_changed(endpoint, intruder):
    theirs = World()
    method, path, body = request_for(endpoint, theirs)
    before = fingerprint(theirs)
    client = api_as(intruder(theirs))

    def send(url, key):
        return getattr(client, method)(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    # Their location named outright
    separator = "&" if "?" in path else "?"
    named = send(f"{path}{separator}location={theirs.location.pk}", "named")
    assert named.status_code == 404, named.content[:300]
    assert named.json()["error"]["code"] == "location.not_found"
    # Their objects reached from the intruder's own location
    mine = send(path, "own")
    if endpoint in OWN_LOCATION_ONLY:
        assert mine.status_code == 200
        assert str(theirs.location.pk) not in {str(value) for value in _location_ids(mine.json())}
    elif endpoint in BODY_REFERENCE:
        assert mine.status_code == 400, mine.content[:300]
        assert mine.json()["error"]["code"] == BODY_REFERENCE[endpoint]
    else:
        assert mine.status_code == 404, mine.content[:300]
    assert fingerprint(theirs) == before


def _location_ids(data) -> list:
    """Every `location_id` anywhere in a JSON answer."""
    if isinstance(data, dict):
        found = [data["location_id"]] if "location_id" in data else []
        return found + [value for item in data.values() for value in _location_ids(item)]
    if isinstance(data, list):
        return [value for item in data for value in _location_ids(item)]
    return []
