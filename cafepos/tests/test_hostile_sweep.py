"""The hostile-input sweep: every URL pattern (pages, admin and its actions, API) and every socket route, fed
huge and negative integers, floats, NaN, `0001-01-01` / `9999-12-31`, nested JSON (100,000 `[`), NUL bytes, bidi
controls and, once per route, a 10 MB body, as every kind of caller, in path parameters, query strings, bodies
and headers. No answer may be a 5xx and no socket may be dropped without a close code.

Each route's hostile values are dealt out among the callers that get in (every value is sent, by one of them);
each caller held at the door (401, 403, a redirect to a login page) sends one of `DOOR_VALUES`, enough to show
its refusal does not parse first and fail. Each value goes in every name at once, then (pages and API) in each
name the view reads alone, so one refusal cannot hide the next parser. Nested JSON goes as a body from every
caller that gets in (not to the admin, which reads no JSON), and once as the API's cursor; the 10 MB body once
per route. Six shards, about 200 CPU-seconds in all: about two minutes of `make test` on two workers.

The routes come from the URL resolver and realtime/routing.py, and `test_the_sweep_covers_every_route` checks the
shards below partition them exactly, so a new endpoint is swept without anyone listing it.
The sweep checks the edge (parsing, lookups, forms); business caps behind valid input are their slices' tests.
"""

import asyncio
import base64
import datetime
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from accounts.api.tokens import token_pair
from accounts.models import ApiKey, Role
from accounts.services import api_key_create
from accounts.tests.factories import staff
from cafepos.tests.hostile import (
    DEEP_JSON,
    DOOR_VALUES,
    JSON_VALUES,
    TEN_MB,
    TEXT_VALUES,
    Route,
    admin_names,
    field_names,
    json_text,
    names_read,
    resolver_routes,
    socket_routes,
)
from cafepos.tests.sockets import conversation
from delivery.tests.factories import WebhookEndpointFactory
from menu.models import MenuItem
from orders.tests.factories import OrderFactory, ShiftFactory, line
from pos.tests.pos import PIN, make_cafe, pos_client
from reports.models import ExportJob
from reports.report_tables import REPORT_TABLES
from testing.cafes import terminal_session_cookies

ROUTES = resolver_routes()
NAMES, LIST_NAMES, OBJECT_NAMES = field_names()
ADMIN_SHARDS = 4


def _admin_shards() -> dict[str, int]:
    """Admin routes dealt out by kind (changelist, add, change, history, ...), so each shard gets its share of
    the costly pages (a change form re-rendered with errors) and of the cheap ones."""
    dealt, seen = {}, {}
    for route in ROUTES:
        if route.is_admin:
            kind = (route.pattern.name or "").rsplit("_", 1)[-1]
            seen[kind] = seen.get(kind, -1) + 1
            dealt[route.route] = (seen[kind] + len(seen)) % ADMIN_SHARDS
    return dealt


ADMIN_SHARD = _admin_shards()


def shard_of(route: Route) -> str:
    if route.is_admin:
        return f"admin-{ADMIN_SHARD[route.route]}"
    return "api" if route.is_api else "pages"


SHARDS = sorted({shard_of(route) for route in ROUTES})


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """The sweep sends thousands of requests per caller: the rate limit would answer them all with a 429."""
    settings.RATE_LIMIT_MAX_REQUESTS = 10**9


@pytest.fixture(autouse=True)
def _quiet():
    """One log line per 4xx is most of a request's cost here; a 5xx is reported by the assertion instead."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


# -- the world swept: one of everything a path parameter can name, and the callers --------------------------------


@dataclass
class World:
    ids: dict[str, str]
    callers: dict[str, Client]
    socket_cookies: dict[str, dict[str, str] | None]


def build_world() -> World:
    cafe = make_cafe()
    owner = staff(cafe.location, Role.OWNER, pin=PIN)
    order = OrderFactory(location=cafe.location, staff=cafe.cashier, terminal=cafe.terminal, lines=[line(cafe.toast)])
    shift = ShiftFactory(terminal=cafe.terminal, staff=cafe.cashier)
    today = datetime.date.today()
    export = ExportJob.objects.create(requested_by=owner, date_from=today, date_to=today)
    export.locations.add(cafe.location)
    WebhookEndpointFactory(location=cafe.location)
    _, key = api_key_create(location=cafe.location, name="Sweep", scopes=list(ApiKey.SCOPES), created_by=None)

    def signed_in(user) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_pair(user=user)['access']}"
        return client

    cashier = pos_client(cafe.location, terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier)[0]
    cashier.raise_request_exception = False
    cashier.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_pair(user=cafe.cashier)['access']}"
    terminal = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Terminal {cafe.secret}")
    terminal.cookies[settings.TERMINAL_COOKIE_NAME] = cafe.secret
    callers = {
        "anonymous": Client(raise_request_exception=False),
        "cashier": cashier,
        "manager": signed_in(cafe.manager),
        "owner": signed_in(owner),
        "api-key": Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Api-Key {key}"),
        "terminal": terminal,
    }
    ids = {
        "order": str(order.pk),
        "line": str(order.lines.first().pk),
        "shift": str(shift.pk),
        "export": str(export.pk),
        "item": str(cafe.toast.pk),
        "content_type": str(ContentType.objects.get_for_model(MenuItem).pk),
        "csv": sorted(REPORT_TABLES)[0],
    }
    socket_cookies = {
        "anonymous": None,
        "cashier": terminal_session_cookies(terminal=cafe.terminal, secret=cafe.secret, user=cafe.cashier),
        "manager": terminal_session_cookies(terminal=cafe.terminal, secret=cafe.secret, user=cafe.manager),
        "owner": terminal_session_cookies(terminal=cafe.terminal, secret=cafe.secret, user=owner),
        "terminal": {settings.TERMINAL_COOKIE_NAME: cafe.secret},
    }
    return World(ids=ids, callers=callers, socket_cookies=socket_cookies)


def real_values(route: Route, world: World) -> dict[str, str]:
    """A real object for each path parameter, so what follows the lookup is swept too."""
    values = {}
    for name in route.params:
        if name == "object_id":
            model_admin = getattr(route.pattern.callback, "model_admin", None)
            model = model_admin.model if model_admin else MenuItem
            first = model._default_manager.order_by("pk").first()
            values[name] = str(first.pk) if first else "1"
        elif name in ("pk", "order_id"):
            kind = "shift" if "shifts" in route.route else "export" if "exports" in route.route else "order"
            values[name] = world.ids[kind]
        else:
            values[name] = {
                "line_id": world.ids["line"],
                "item_id": world.ids["item"],
                "content_type_id": world.ids["content_type"],
                "name": world.ids["csv"],
                "app_label": "menu",
                "url": "menu/",
                "page": "webhookdelivery/",  # an old admin address of a delivery model (a redirect)
            }[name]  # a new parameter name: say here which object it names
    return values


# -- one route, every caller --------------------------------------------------------------------------------------


def body_of(label: str) -> dict:
    value = JSON_VALUES[label]
    flat = dict.fromkeys(NAMES, value)
    return {name: [flat] if name in LIST_NAMES else flat if name in OBJECT_NAMES else value for name in NAMES}


def admin_action_forms(route: Route, inside: list[str]):
    """(caller, label, form) posting each of a changelist's actions on a real row and a hostile one."""
    model_admin = getattr(route.pattern.callback, "model_admin", None)
    if not inside or model_admin is None or not (route.pattern.name or "").endswith("_changelist"):
        return
    actions = ["delete_selected", *(getattr(action, "__name__", action) for action in model_admin.actions or ())]
    first = model_admin.model._default_manager.order_by("pk").first()
    names = [name for name in admin_names(route) if name not in ("action", "_selected_action", "index")]
    labels, offset = list(TEXT_VALUES), ROUTES.index(route)
    for number, action in enumerate(actions):  # three values per action; all of them over a few actions
        for step in range(3):
            label = labels[(offset + number * 3 + step) % len(labels)]
            text = TEXT_VALUES[label]
            selected = [str(first.pk), text] if first else [text]
            form = {**dict.fromkeys(names, text), "action": action, "_selected_action": selected, "index": "0"}
            yield inside[(number + step) % len(inside)], label, form


def at_the_door(response) -> bool:
    location = response.get("Location", "")
    return response.status_code in (401, 403) or (response.status_code == 302 and "login" in location)


def sweep_route(route: Route, world: World, *, big_body_by: str = "owner") -> list[str]:
    """Every request of the sweep for one route; the ones answered with a 5xx, described."""
    failures = []
    real = real_values(route, world)
    base = route.path(real)
    names = admin_names(route) if route.is_admin else NAMES

    def check(caller, label, method, url, response):
        if response.status_code >= 500:
            cause = getattr(response, "exc_info", None)
            cause = f"{cause[0].__name__}: {str(cause[1])[:120]}" if cause else response.content[:120]
            request = f"{method} {url[:100]} [{label}] as {caller}"
            failures.append(f"{request} -> {response.status_code} {cause}")

    baselines = {caller: client.get(base) for caller, client in world.callers.items()}
    inside = [caller for caller, response in baselines.items() if not at_the_door(response)]
    plan = [(caller, label) for index, caller in enumerate(world.callers) if caller not in inside
            for label in DOOR_VALUES[index % len(DOOR_VALUES):][:1]]  # fmt: skip
    plan += [(inside[index % len(inside)], label) for index, label in enumerate(TEXT_VALUES)] if inside else []
    for caller, response in baselines.items():
        check(caller, "baseline", "GET", base, response)
    for caller, label in plan:
        client, text = world.callers[caller], TEXT_VALUES[label]
        headers = {"HTTP_X_STAFF_ID": text, "HTTP_IDEMPOTENCY_KEY": text}
        url = f"{base}?{urlencode(dict.fromkeys(names, text))}"
        check(caller, label, "GET", url, client.get(url))
        if route.is_api:
            body = json_text(body_of(label))
            check(caller, label, "POST", base, client.post(base, body, "application/json", **headers))
            check(caller, label, "PATCH", base, client.patch(base, body, "application/json", **headers))
        else:
            check(caller, label, "POST", base, client.post(base, dict.fromkeys(names, text), **headers))
        for name in route.params:
            url = route.path({**real, name: text})
            check(caller, label, "GET", url, client.get(url))
    if not route.is_admin:  # each name the view reads, alone (see hostile.names_read)
        prober = inside[0] if inside else "anonymous"
        client = world.callers[prober]
        with names_read() as read_by_get:
            client.get(base)
        with names_read() as read_by_post:
            client.post(base, {})
        dealt = inside or [prober]
        for number, label in enumerate(TEXT_VALUES):
            caller, text = dealt[number % len(dealt)], TEXT_VALUES[label]
            for name in sorted(read_by_get):
                url = f"{base}?{urlencode({name: text})}"
                check(caller, label, "GET", url, world.callers[caller].get(url))
            for name in sorted(read_by_post - {"csrfmiddlewaretoken"}):
                check(caller, label, f"POST {name}=", base, world.callers[caller].post(base, {name: text}))
    for caller, label, form in admin_action_forms(route, inside):
        check(caller, label, f"POST action={form['action']}", base, world.callers[caller].post(base, form))
    for caller in inside if not route.is_admin else ():  # the admin never reads a JSON body
        client = world.callers[caller]
        check(caller, "deep-json", "POST", base, client.post(base, DEEP_JSON, "application/json"))
    if inside:
        cursor = base64.urlsafe_b64encode(DEEP_JSON.encode()).decode()
        check(inside[0], "deep-json", "GET", base, world.callers[inside[0]].get(f"{base}?cursor={cursor}"))
    big = world.callers[big_body_by]
    check(big_body_by, "10MB", "POST", base, big.post(base, b"{" + b" " * TEN_MB + b"}", "application/json"))
    return failures


@pytest.mark.parametrize("shard", SHARDS)
def test_no_route_answers_hostile_input_with_a_5xx(shard, db):
    world = build_world()
    routes = sorted((route for route in ROUTES if shard_of(route) == shard), key=lambda route: "logout" in route.route)
    failures = [failure for route in routes for failure in sweep_route(route, world)]
    assert not failures, f"{len(failures)} requests answered with a 5xx:\n" + "\n".join(failures)


def test_the_sweep_covers_every_route():
    resolved = {route.route for route in resolver_routes()}
    swept = {route.route for shard in SHARDS for route in ROUTES if shard_of(route) == shard}
    assert swept == resolved
    assert {route.route for route in ROUTES} == resolved and len(ROUTES) == len(resolved)
    assert set(SOCKET_ROUTES) == set(socket_routes())
    assert {"location", "since", "from", "to", "items", "tip", "staff", "manager"} <= set(NAMES)


# -- sockets ------------------------------------------------------------------------------------------------------

SOCKET_ROUTES = socket_routes()
SOCKET_QUERY = ("location", "since", "station", "token")


def frames() -> list[tuple[str, str]]:
    """(label, frame): each hostile value in every field a message has, nested JSON, and a 10 MB frame."""
    fields = ("ticket_id", "request_id", "token", "location", "since", "station", "version")
    sent = [(label, json_text({"type": kind, **dict.fromkeys(fields, JSON_VALUES[label])}))
            for label in TEXT_VALUES for kind in ("auth", "ticket.start", "ping")]  # fmt: skip
    sent += [("deep-json", DEEP_JSON), ("nul", '{"type":"ping"\x00}'), ("bidi", '{"type":"\u202eping"}')]
    return sent


async def converse(path: str, cookies, sent: list[tuple[str, str]], caller: str) -> tuple[list[str], int]:
    """Connect, then send each frame followed by a ping; every way the socket ends must carry a close code.

    Returns the failures and how many pings were answered (the socket was still serving after the frame)."""
    failures, answered = [], 0
    async with conversation(path, cookies=cookies) as client:
        try:
            accepted, code = await client.connect(timeout=10)
        except Exception as error:  # noqa: BLE001 - a consumer that raised at the handshake
            return [f"{path[:80]} as {caller}: dropped at the handshake ({type(error).__name__}: {error})"], 0
        if not accepted:
            return ([] if code else [f"{path[:80]} as {caller}: refused without a close code"]), 0
        for label, frame in [("connect", None), *sent]:
            if frame is not None:
                await client.send_to(text_data=frame)
            await client.send_json_to({"type": "ping"})
            try:
                while True:
                    output = await client.receive_output(timeout=10)
                    if output["type"] == "websocket.close":
                        if not output.get("code"):
                            failures.append(f"{path[:80]} [{label}] as {caller}: closed without a close code")
                        return failures, answered
                    if '"pong"' in output.get("text", ""):
                        answered += 1
                        break
            except Exception as error:  # noqa: BLE001 - the consumer died: no close frame reached the client
                failures.append(f"{path[:80]} [{label}] as {caller}: dropped ({type(error).__name__}: {error!s:.120})")
                return failures, answered
    return failures, answered


@pytest.mark.parametrize("route", SOCKET_ROUTES)
def test_no_socket_is_dropped_without_a_close_code(route, transactional_db):
    world = build_world()
    results = []
    for caller, cookies in world.socket_cookies.items():
        for label in DOOR_VALUES if cookies is None else tuple(TEXT_VALUES):
            query = urlencode(dict.fromkeys(SOCKET_QUERY, TEXT_VALUES[label]))
            results.append(asyncio.run(converse(f"{route}?{query}", cookies, [], caller)))
        results.append(asyncio.run(converse(route + "?station=KITCHEN", cookies, frames(), caller)))
    big = [("10MB", '{"type":"ping","pad":"' + "x" * TEN_MB + '"}')]
    results.append(asyncio.run(converse(route + "?station=KITCHEN", world.socket_cookies["owner"], big, "owner")))
    failures = [failure for found, _ in results for failure in found]
    assert not failures, "\n".join(failures)
    assert sum(answered for _, answered in results) > len(frames())  # the frames were read, not refused unheard
