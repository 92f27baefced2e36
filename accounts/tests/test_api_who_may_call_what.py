"""Who may call what with `X-Staff-Id`: every API endpoint × five ways a terminal names a staff member, answered
exactly as the README's table says (section "Acting for another staff member").

"allowed" means the access check let the call through (an empty body then gets its 400, a read its 200);
"403 delegation" that it was refused as delegated (`auth.delegation_refused`), "403 role" for the caller's role.
The endpoint list must equal the URL resolver's `/api/v1/` routes, so a new endpoint is added here and to the
README, with its answers, before it ships.
"""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver

from accounts.models import Role
from accounts.services import pin_login
from accounts.tests.api import api_as_terminal, pin_session_browser
from accounts.tests.factories import paired_terminal, staff
from orders.tests.factories import OrderFactory, ShiftFactory

pytestmark = pytest.mark.django_db

# Each way in: whose session or credential, and whose id X-Staff-Id names (the session is always the cashier's).
CALLERS = {
    "PIN session + a manager's id": ("pin session", Role.MANAGER),
    "Terminal + an owner's id": ("terminal", Role.OWNER),
    "Terminal + a manager's id": ("terminal", Role.MANAGER),
    "Terminal + a cashier's id": ("terminal", Role.CASHIER),
    "PIN session + own id": ("pin session", Role.CASHIER),
}
Y, DELEGATION, ROLE = "allowed", "403 delegation", "403 role"  # refused as delegated, or for the cashier's role
PUBLIC = (Y, Y, Y, Y, Y)  # login endpoints and the API's documentation: no credentials needed
OFFLINE_QUEUE = (Y, Y, Y, Y, Y)  # delegable writes: what a terminal's outbox sends
SELF_ONLY = (DELEGATION,) * 4 + (Y,)  # the cashier in person, never someone delegated
NOBODY = (DELEGATION,) * 4 + (ROLE,)  # a manager's action: delegation never, the cashier's role neither

TABLE = {
    ("POST", "auth/token/"): PUBLIC,
    ("POST", "auth/pin/"): PUBLIC,
    ("POST", "auth/token/refresh/"): PUBLIC,
    ("POST", "auth/logout/"): PUBLIC,
    ("GET", "me/"): SELF_ONLY,
    ("GET", "locations/"): SELF_ONLY,
    ("GET", "menu/"): SELF_ONLY,
    ("GET", "menu/items/{item_id}/"): SELF_ONLY,
    ("POST", "menu/items/{item_id}/sold-out/"): NOBODY,
    ("POST", "menu/items/{item_id}/back-in-stock/"): NOBODY,
    ("GET", "tickets/"): SELF_ONLY,
    ("GET", "tables/"): SELF_ONLY,
    ("GET", "orders/"): SELF_ONLY,
    ("POST", "orders/"): OFFLINE_QUEUE,
    ("POST", "orders/quote/"): OFFLINE_QUEUE,
    ("GET", "orders/{pk}/"): SELF_ONLY,
    ("POST", "orders/{pk}/discounts/"): SELF_ONLY,
    ("POST", "orders/{pk}/items/"): OFFLINE_QUEUE,
    ("POST", "orders/{pk}/payments/"): OFFLINE_QUEUE,
    ("POST", "orders/{pk}/refunds/"): SELF_ONLY,  # the cashier with a manager's PIN (`approval`)
    ("POST", "orders/{pk}/status/"): SELF_ONLY,
    ("POST", "orders/{pk}/items/{line_id}/void/"): SELF_ONLY,
    ("GET", "shifts/"): SELF_ONLY,
    ("POST", "shifts/"): SELF_ONLY,
    ("GET", "shifts/{pk}/"): SELF_ONLY,
    ("POST", "shifts/{pk}/cash-movements/"): SELF_ONLY,
    ("POST", "shifts/{pk}/close/"): SELF_ONLY,
    ("GET", "reports/sales/"): NOBODY,
    ("POST", "orders/{pk}/receipt-email/"): SELF_ONLY,
    ("GET", "schema/"): PUBLIC,
    ("GET", "docs/"): PUBLIC,
    ("GET", "redoc/"): PUBLIC,
}

README = Path(settings.BASE_DIR) / "README.md"
README_SECTION = "### Acting for another staff member"


def _route(pattern: str) -> str:
    """A resolver pattern as the README writes it: `orders/(?P<pk>[0-9]{1,18})/` → `orders/{pk}/`."""
    pattern = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern.lstrip("^").rstrip("$"))
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def api_endpoints() -> set[tuple[str, str]]:
    """Every (method, route) the URL resolver serves under /api/v1/ (OPTIONS and HEAD aside)."""
    endpoints = set()
    for pattern, callback in _walk(get_resolver().url_patterns):
        if not pattern.startswith("api/v1/"):
            continue
        view = callback.cls
        methods = callback.actions if getattr(callback, "actions", None) else view.http_method_names
        for method in methods:
            if method not in ("options", "head") and (getattr(callback, "actions", None) or hasattr(view, method)):
                endpoints.add((method.upper(), _route(pattern.removeprefix("api/v1/"))))
    return endpoints


def readme_table() -> dict[tuple[str, str], tuple[str, ...]]:
    text = README.read_text()
    start = text.index(README_SECTION)
    section = text[start : re.compile(r"^##", re.MULTILINE).search(text, start + 1).start()]  # to the next heading
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `(GET|POST) /api/v1/(\S*)` \|(.*)\|$", line)
        if found:
            rows[(found[1], found[2])] = tuple(cell.strip() for cell in found[3].split("|"))
    return rows


def test_the_table_lists_every_api_endpoint():
    assert set(TABLE) == api_endpoints()


def test_the_readme_shows_this_table():
    assert readme_table() == TABLE


@pytest.fixture
def till(db):
    terminal, secret = paired_terminal()
    location = terminal.location
    people = {
        Role.OWNER: staff(location, Role.OWNER, pin="1000"),
        Role.MANAGER: staff(location, Role.MANAGER, pin="2000"),
        Role.CASHIER: staff(location, Role.CASHIER, pin="3000"),
    }
    for user, pin in zip(people.values(), ("1000", "2000", "3000"), strict=True):
        pin_login(terminal=terminal, user_id=user.pk, pin=pin)  # all signed in on this till today
    order = OrderFactory(location=location)
    ids = {
        "pk": order.pk,
        "item_id": order.lines.first().menu_item_id,
        "line_id": order.lines.first().pk,
        "shift": ShiftFactory(terminal=terminal).pk,
    }
    return secret, people, ids


def caller(name: str, secret: str, people: dict):
    """A client and the headers its calls carry, for one of CALLERS."""
    way, named = CALLERS[name]
    if way == "pin session":
        browser, csrf = pin_session_browser(secret, people[Role.CASHIER], "3000")
        return browser, {"HTTP_X_STAFF_ID": str(people[named].pk), "HTTP_X_CSRFTOKEN": csrf}
    return api_as_terminal(secret, people[named]), {}


def answer(client, headers, method: str, route: str, ids: dict) -> str:
    shift_route = route.startswith("shifts/")
    path = "/api/v1/" + route.format(**{**ids, "pk": ids["shift"] if shift_route else ids["pk"]})
    if method == "GET":
        response = client.get(path, **headers)
    else:
        response = client.post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **headers)
    assert response.status_code not in (401, 404, 405), (method, route, response.content)
    if response.status_code != 403:
        return Y
    return DELEGATION if response.json()["error"]["code"] == "auth.delegation_refused" else ROLE


@pytest.mark.parametrize("column", range(len(CALLERS)), ids=list(CALLERS))
def test_each_caller_gets_the_tables_answers(till, column):
    secret, people, ids = till
    client, headers = caller(list(CALLERS)[column], secret, people)

    answers = {endpoint: answer(client, headers, *endpoint, ids) for endpoint in TABLE}

    assert answers == {endpoint: row[column] for endpoint, row in TABLE.items()}
