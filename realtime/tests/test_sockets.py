"""The kitchen and orders sockets end to end: ASGI application, channel layer, outbox relay and order services.

Each test runs on the real channels-redis layer when REDIS_URL is set (marked `redis`), else on the in-memory one.
"""

import asyncio
import contextlib
import json
import time

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, UserFactory
from cafepos import outbox
from cafepos.exceptions import ApplicationError
from cafepos.models import Event, LocationSequence
from orders.models import OrderStatus, StatusChange, Ticket, TicketStatus
from orders.tests.factories import OrderFactory, line
from realtime import consumers
from realtime.groups import location_group
from realtime.publisher import events_publish
from testing.cafes import make_cafe, socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

TIMEOUT = 5


# The settings' layer: channels-redis with REDIS_URL (as in CI), else the in-memory layer.
LAYER = pytest.param("redis", marks=pytest.mark.redis) if settings.REDIS_URL else "memory"


@pytest.fixture(params=[LAYER], autouse=True)
def channel_layer_kind(request):
    """A fresh layer per test: channels-redis ties its receiving to one event loop, and each test has its own."""
    channel_layers.backends.clear()
    yield request.param
    channel_layers.backends.clear()


OPENED: list[WebsocketCommunicator] = []


@pytest_asyncio.fixture(autouse=True)
async def sockets_disconnected():
    """Every socket a test opened is disconnected in the test's own loop, so its consumer ends as a server's
    would (cancelled in bulk when the loop closes, channels-redis can wait forever)."""
    OPENED.clear()
    yield
    for communicator in OPENED:
        with contextlib.suppress(Exception):  # already ended (refused at the handshake), or failed the test
            await communicator.disconnect(timeout=TIMEOUT)
    OPENED.clear()


def opened(path: str, **options) -> WebsocketCommunicator:
    communicator = socket(path, **options)
    OPENED.append(communicator)
    return communicator


# -- helpers ------------------------------------------------------------------------------------------------


async def connected(path, **options):
    communicator = opened(path, **options)
    accepted, _ = await communicator.connect(timeout=TIMEOUT)
    assert accepted
    return communicator


async def authenticated(path, **options):
    communicator = await connected(path, **options)
    assert (await communicator.receive_json_from(TIMEOUT))["type"] == "auth.ok"
    return communicator


async def with_token(path, user):
    communicator = await connected(path)
    await communicator.send_json_to({"type": "auth", "token": await token_for(user)})
    assert (await communicator.receive_json_from(TIMEOUT))["type"] == "auth.ok"
    return communicator


@database_sync_to_async
def session_of(cafe, user) -> dict[str, str]:
    return cafe.cookies(user)


@sync_to_async
def token_for(user) -> str:
    return str(AccessToken.for_user(user))


async def close_code(communicator) -> tuple[list[dict], int]:
    """Messages sent before the server closed the socket, and the close code."""
    before = []
    while True:
        output = await communicator.receive_output(TIMEOUT)
        if output["type"] == "websocket.close":
            return before, output.get("code")
        before.append(json.loads(output["text"]))


async def next_of(communicator, *types) -> dict:
    while True:
        message = await communicator.receive_json_from(TIMEOUT)
        if message["type"] in types:
            return message


@database_sync_to_async
def place_order(cafe, *items, staff=None):
    return OrderFactory(location=cafe.location, staff=staff or cafe.cashier, lines=[line(item) for item in items])


@database_sync_to_async
def ticket_of(order, station="KITCHEN") -> Ticket:
    return Ticket.objects.get(order=order, station=station)


@database_sync_to_async
def refresh(obj):
    obj.refresh_from_db()
    return obj


# -- authentication -----------------------------------------------------------------------------------------


async def test_a_kitchen_terminal_session_hears_new_tickets_of_its_station(cafe):
    # Given a kitchen display signed in with the paired terminal's session
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    # When an order with a kitchen item is placed
    order = await place_order(cafe, cafe.kitchen_item)
    # Then the display receives the ticket as an outbox event
    event = await display.receive_json_from(TIMEOUT)
    assert event["type"] == "ticket.created"
    assert event["location_id"] == cafe.location.pk
    assert isinstance(event["seq"], int)
    assert event["data"]["ticket"]["order_id"] == order.pk
    assert event["data"]["ticket"]["station"] == "KITCHEN"
    await display.disconnect()


async def test_a_kitchen_user_hears_only_ticket_events_of_the_station(cafe):
    # Given a bar display and a kitchen display
    kitchen = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    bar = await authenticated("/ws/v1/kitchen/?station=BAR", cookies=await session_of(cafe, cafe.cook))
    # When an order for the kitchen only is placed
    await place_order(cafe, cafe.kitchen_item)
    # Then the kitchen gets its ticket and nothing else (no order events), and the bar gets nothing
    assert (await kitchen.receive_json_from(TIMEOUT))["type"] == "ticket.created"
    assert await kitchen.receive_nothing(0.3)
    assert await bar.receive_nothing(0.3)
    await kitchen.disconnect()
    await bar.disconnect()


async def test_an_access_token_as_first_message_authenticates_an_api_client(cafe):
    # Given an API client that authenticates with a JWT
    client = await connected("/ws/v1/orders/")
    await client.send_json_to({"type": "auth", "token": await token_for(cafe.cashier)})
    assert await client.receive_json_from(TIMEOUT) == {
        "type": "auth.ok",
        "location_id": cafe.location.pk,
        "role": Role.CASHIER,
    }
    # When an order is placed
    order = await place_order(cafe, cafe.kitchen_item)
    # Then it hears every event of the order, in seq order
    received = [await client.receive_json_from(TIMEOUT) for _ in range(2)]
    assert {message["type"] for message in received} == {"order.created", "ticket.created"}
    assert received[0]["seq"] + 1 == received[1]["seq"]
    created = next(message for message in received if message["type"] == "order.created")
    assert created["data"]["order"]["id"] == order.pk
    await client.disconnect()


@pytest.mark.parametrize(
    "first_message",
    [
        {"type": "auth", "token": "not-a-jwt"},
        {"type": "auth", "token": ""},
        {"type": "auth"},
        {"type": "ping"},
    ],
)
async def test_a_missing_or_bad_token_closes_with_4001(cafe, first_message):
    client = await connected("/ws/v1/orders/")
    if isinstance(first_message, str):
        await client.send_to(text_data=first_message)
    else:
        await client.send_json_to(first_message)
    before, code = await close_code(client)
    assert code == 4001
    assert before[-1]["type"] == "error"


async def test_a_token_of_a_user_whose_password_changed_is_refused(cafe):
    token = await token_for(cafe.cashier)

    @database_sync_to_async
    def change_password():
        cafe.cashier.set_password("another-secret-42")
        cafe.cashier.save()

    await change_password()
    client = await connected("/ws/v1/orders/")
    await client.send_json_to({"type": "auth", "token": token})
    assert (await close_code(client))[1] == 4001


async def test_no_credential_within_the_timeout_closes_with_4001(cafe, settings):
    settings.REALTIME_AUTH_TIMEOUT = 0.2
    client = await connected("/ws/v1/orders/")
    before, code = await close_code(client)
    assert code == 4001
    assert before == [{"type": "error", "request_id": None, "code": "auth.timeout", "message": before[0]["message"]}]


async def test_a_credential_that_arrived_in_time_is_not_timed_out_while_it_is_checked(cafe, settings):
    # given a deadline shorter than the check takes (the sync thread the check needs is busy for 0.6 s)
    settings.REALTIME_AUTH_TIMEOUT = 0.3
    token = await token_for(cafe.cashier)
    client = await connected("/ws/v1/orders/")
    busy = asyncio.ensure_future(database_sync_to_async(time.sleep)(0.6))
    # when the token arrives before the deadline
    await client.send_json_to({"type": "auth", "token": token})
    await busy
    # then the socket is signed in, not closed with auth.timeout
    answer = await client.receive_json_from(timeout=TIMEOUT)
    assert answer["type"] == "auth.ok", answer
    await client.disconnect()


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:9999", None])
async def test_a_handshake_from_a_foreign_or_missing_origin_is_refused(cafe, origin):
    client = opened("/ws/v1/kitchen/?station=KITCHEN", origin=origin, cookies=await session_of(cafe, cafe.cook))
    accepted, _ = await client.connect(timeout=TIMEOUT)
    assert not accepted


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/ws/v1/orders/", Role.KITCHEN),
        ("/ws/v1/kitchen/?station=KITCHEN", Role.CASHIER),
    ],
)
async def test_a_role_that_may_not_listen_is_closed_with_4003(cafe, path, role):
    user = {Role.KITCHEN: cafe.cook, Role.CASHIER: cafe.cashier}[role]
    client = await connected(path)
    await client.send_json_to({"type": "auth", "token": await token_for(user)})
    before, code = await close_code(client)
    assert code == 4003
    assert before[-1]["code"] == "permission.denied"


async def test_a_signed_out_terminal_session_waits_for_a_token(cafe):
    # A session cookie without the terminal cookie is not a paired terminal's session.
    cookies = await session_of(cafe, cafe.cook)
    cookies.pop("cafepos_terminal")
    client = await connected("/ws/v1/kitchen/?station=KITCHEN", cookies=cookies)
    assert await client.receive_nothing(0.2)
    await client.send_json_to({"type": "auth", "token": await token_for(cafe.cook)})
    assert (await client.receive_json_from(TIMEOUT))["type"] == "auth.ok"
    await client.disconnect()


@pytest.mark.parametrize(
    "query",
    [
        "station=GRILL",
        "",
        "station=KITCHEN&since=-1",
        "station=KITCHEN&location=x",
        f"station=KITCHEN&location={'9' * 5000}",  # past int()'s 4,300 digits
        f"station=KITCHEN&since={'9' * 5000}",
    ],
)
async def test_a_malformed_handshake_is_closed_with_4400(cafe, query):
    client = await connected(f"/ws/v1/kitchen/?{query}", cookies=await session_of(cafe, cafe.cook))
    assert (await close_code(client))[1] == 4400


# -- location isolation -------------------------------------------------------------------------------------


async def test_a_client_never_hears_another_locations_events(cafe, other_cafe):
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    api_client = await with_token("/ws/v1/orders/", cafe.cashier)
    await place_order(other_cafe, other_cafe.kitchen_item)
    assert await display.receive_nothing(0.3)
    assert await api_client.receive_nothing(0.3)
    await display.disconnect()
    await api_client.disconnect()


async def test_an_owner_picks_a_location_of_their_organization_and_no_other(cafe, other_cafe):
    @database_sync_to_async
    def second_location_of_the_same_owner():
        second = make_cafe(organization=cafe.location.organization)
        return second

    second = await second_location_of_the_same_owner()
    # Without ?location an owner of several locations is asked for one.
    client = await connected("/ws/v1/orders/")
    await client.send_json_to({"type": "auth", "token": await token_for(cafe.owner)})
    assert (await close_code(client))[1] == 4400
    # Another organization's location is refused.
    client = await connected(f"/ws/v1/orders/?location={other_cafe.location.pk}")
    await client.send_json_to({"type": "auth", "token": await token_for(cafe.owner)})
    assert (await close_code(client))[1] == 4003
    # Their second location works, and hears only that location.
    client = await connected(f"/ws/v1/orders/?location={second.location.pk}")
    await client.send_json_to({"type": "auth", "token": await token_for(cafe.owner)})
    assert (await client.receive_json_from(TIMEOUT))["location_id"] == second.location.pk
    await place_order(cafe, cafe.kitchen_item)
    assert await client.receive_nothing(0.3)
    await place_order(second, second.kitchen_item)
    assert (await client.receive_json_from(TIMEOUT))["location_id"] == second.location.pk
    await client.disconnect()


async def test_a_terminal_session_cannot_ask_for_another_location(cafe, other_cafe):
    path = f"/ws/v1/kitchen/?station=KITCHEN&location={other_cafe.location.pk}"
    client = await connected(path, cookies=await session_of(cafe, cafe.cook))
    assert (await close_code(client))[1] == 4003


# -- client messages ----------------------------------------------------------------------------------------


async def test_start_and_bump_are_acknowledged_and_make_the_order_ready(cafe):
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    order = await place_order(cafe, cafe.kitchen_item)
    ticket = await ticket_of(order)
    await next_of(display, "ticket.created")

    await display.send_json_to({"type": "ticket.start", "ticket_id": ticket.pk, "request_id": "r1"})
    replies = [await display.receive_json_from(TIMEOUT) for _ in range(2)]
    assert {"type": "ack", "request_id": "r1"} in replies
    assert any(m["type"] == "ticket.updated" and m["data"]["ticket"]["status"] == "IN_PROGRESS" for m in replies)

    await display.send_json_to({"type": "ticket.bump", "ticket_id": ticket.pk, "request_id": 2})
    assert (await next_of(display, "ack"))["request_id"] == 2
    assert (await refresh(order)).status == OrderStatus.READY
    await display.disconnect()


async def test_a_double_bump_makes_one_transition(cafe):
    # Given a started ticket and two displays of the station
    order = await place_order(cafe, cafe.kitchen_item)
    ticket = await ticket_of(order)
    first = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    second = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.manager))
    await first.send_json_to({"type": "ticket.start", "ticket_id": ticket.pk, "request_id": "start"})
    await next_of(first, "ack")
    # When both bump it at once (and the first display double-taps)
    for display, request_id in ((first, "a"), (second, "b"), (first, "c")):
        await display.send_json_to({"type": "ticket.bump", "ticket_id": ticket.pk, "request_id": request_id})
    # Then every request is acknowledged
    acks = [await next_of(first, "ack"), await next_of(first, "ack"), await next_of(second, "ack")]
    assert sorted(ack["request_id"] for ack in acks) == ["a", "b", "c"]

    # And the ticket moved to DONE once, with one event
    @database_sync_to_async
    def done_records():
        moves = StatusChange.objects.filter(subject="TICKET", subject_id=ticket.pk, to_status=TicketStatus.DONE)
        events = [e for e in Event.objects.filter(type="ticket.updated") if e.data["ticket"]["status"] == "DONE"]
        return moves.count(), len(events)

    assert await done_records() == (1, 1)
    assert (await refresh(order)).status == OrderStatus.READY
    await first.disconnect()
    await second.disconnect()


async def test_a_cashier_may_not_work_tickets_over_a_socket(cafe):
    order = await place_order(cafe, cafe.kitchen_item)
    ticket = await ticket_of(order)
    client = await with_token("/ws/v1/orders/", cafe.cashier)
    await client.send_json_to({"type": "ticket.start", "ticket_id": ticket.pk, "request_id": "x"})
    reply = await next_of(client, "ack", "error")
    assert reply["type"] == "error"
    assert reply["request_id"] == "x"
    assert reply["code"] == "permission.denied"
    assert (await refresh(ticket)).status == TicketStatus.NEW
    await client.disconnect()


async def test_a_ticket_of_another_location_or_station_is_not_found(cafe, other_cafe):
    foreign = await ticket_of(await place_order(other_cafe, other_cafe.kitchen_item))
    bar_ticket = await ticket_of(await place_order(cafe, cafe.bar_item), station="BAR")
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    for ticket_id in (foreign.pk, bar_ticket.pk):
        await display.send_json_to({"type": "ticket.start", "ticket_id": ticket_id, "request_id": ticket_id})
        reply = await next_of(display, "ack", "error")
        assert (reply["type"], reply["code"], reply["request_id"]) == ("error", "ticket.not_found", ticket_id)
    assert (await refresh(foreign)).status == TicketStatus.NEW
    await display.disconnect()


async def test_a_services_error_is_answered_with_secrets_redacted(cafe, monkeypatch):
    ticket = await ticket_of(await place_order(cafe, cafe.kitchen_item))

    def refuse(**_):
        raise ApplicationError("ticket.refused", "Refused for card 4111 1111 1111 1111 and pin=918273")

    monkeypatch.setattr(consumers, "ticket_act", refuse)
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    await display.send_json_to({"type": "ticket.start", "ticket_id": ticket.pk, "request_id": "r"})
    reply = await next_of(display, "ack", "error")
    assert reply == {
        "type": "error",
        "request_id": "r",
        "code": "ticket.refused",
        "message": "Refused for card [REDACTED] and pin=[REDACTED]",
    }
    await display.disconnect()


async def test_an_illegal_transition_is_answered_with_the_services_error(cafe):
    ticket = await ticket_of(await place_order(cafe, cafe.kitchen_item))
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    await display.send_json_to({"type": "ticket.recall", "ticket_id": ticket.pk, "request_id": "r"})
    reply = await next_of(display, "ack", "error")
    assert (reply["type"], reply["code"]) == ("error", "ticket.illegal_transition")
    await display.disconnect()


async def test_a_refusal_reads_in_the_locations_language(cafe):
    cafe.location.language = "de"
    await database_sync_to_async(cafe.location.save)(update_fields=["language"])
    ticket = await ticket_of(await place_order(cafe, cafe.kitchen_item))
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    await display.send_json_to({"type": "ticket.recall", "ticket_id": ticket.pk, "request_id": "r"})
    await display.send_json_to({"type": "auth", "token": "again"})
    refused, already = await next_of(display, "ack", "error"), await next_of(display, "ack", "error")
    assert refused["code"] == "ticket.illegal_transition" and "Bon" in refused["message"]
    assert already == {
        "type": "error",
        "request_id": None,
        "code": "auth.already",
        "message": "Dieser Socket ist bereits authentifiziert.",
    }
    await display.disconnect()


@pytest.mark.parametrize(
    ("frame", "code", "request_id"),
    [
        ("{not json", "message.malformed", None),
        ("[1, 2]", "message.malformed", None),
        ('{"no": "type"}', "message.malformed", None),
        ('{"type": "ticket.explode", "request_id": "q"}', "message.unknown_type", None),
        ('{"type": "ticket.bump", "ticket_id": 1}', "validation.invalid", None),
        ('{"type": "ticket.bump", "ticket_id": "1", "request_id": "q"}', "validation.invalid", "q"),
        ('{"type": "ticket.bump", "ticket_id": true, "request_id": "q"}', "validation.invalid", "q"),
        ('{"type": "auth", "token": "again"}', "auth.already", None),
    ],
)
async def test_a_malformed_message_gets_an_error_and_the_socket_stays_open(cafe, frame, code, request_id):
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    await display.send_to(text_data=frame)
    reply = await display.receive_json_from(TIMEOUT)
    assert (reply["type"], reply["code"], reply["request_id"]) == ("error", code, request_id)
    await display.send_json_to({"type": "ping"})
    assert await display.receive_json_from(TIMEOUT) == {"type": "pong"}
    await display.disconnect()


# -- resync -------------------------------------------------------------------------------------------------


async def test_resync_replays_missed_events_then_goes_live_without_gap_or_duplicate(cafe, monkeypatch):
    # Given a location with some history, and a client that saw it up to `since`
    for _ in range(10):
        await place_order(cafe, cafe.kitchen_item, cafe.bar_item)

    @database_sync_to_async
    def latest_seq():
        return Event.objects.filter(location_id=cafe.location.pk).order_by("-seq").values_list("seq", flat=True)[0]

    since = await latest_seq() - 24
    monkeypatch.setattr(consumers, "REPLAY_PAGE", 2)  # many replay queries, with commits between them

    # While orders keep arriving (before, during and after the replay)
    async def keep_ordering(count):
        for _ in range(count):
            await place_order(cafe, cafe.kitchen_item)

    # When the client reconnects with ?since
    client = await connected(f"/ws/v1/orders/?since={since}")
    token = await token_for(cafe.manager)
    producer = asyncio.ensure_future(keep_ordering(12))
    await client.send_json_to({"type": "auth", "token": token})
    assert (await client.receive_json_from(TIMEOUT))["type"] == "auth.ok"
    await producer
    final = await latest_seq()
    # Then it receives every event after `since` exactly once, in order, up to the last one
    seqs = []
    while not seqs or seqs[-1] < final:
        seqs.append((await client.receive_json_from(TIMEOUT))["seq"])
    assert seqs == list(range(since + 1, final + 1))
    assert await client.receive_nothing(0.3)
    await client.disconnect()


async def test_a_kitchen_display_resyncs_only_its_station_tickets(cafe):
    before = await place_order(cafe, cafe.kitchen_item)

    @database_sync_to_async
    def seq_of_first_event():
        return Event.objects.filter(location_id=cafe.location.pk).order_by("seq").values_list("seq", flat=True)[0]

    since = await seq_of_first_event() - 1
    await place_order(cafe, cafe.bar_item)
    display = await authenticated(
        f"/ws/v1/kitchen/?station=KITCHEN&since={since}", cookies=await session_of(cafe, cafe.cook)
    )
    replayed = await display.receive_json_from(TIMEOUT)
    assert replayed["type"] == "ticket.created"
    assert replayed["data"]["ticket"]["order_id"] == before.pk
    assert await display.receive_nothing(0.3)
    await display.disconnect()


async def test_a_client_behind_purged_events_is_told_to_resync(cafe):
    for _ in range(3):
        await place_order(cafe, cafe.kitchen_item)

    @database_sync_to_async
    def purge_oldest():
        events = Event.objects.filter(location_id=cafe.location.pk).order_by("seq")
        oldest = list(events.values_list("seq", flat=True))
        Event.objects.filter(location_id=cafe.location.pk, seq__lte=oldest[2]).delete()
        return oldest[0], oldest[-1]

    first, latest = await purge_oldest()
    client = await connected(f"/ws/v1/orders/?since={first}")
    await client.send_json_to({"type": "auth", "token": await token_for(cafe.cashier)})
    assert (await client.receive_json_from(TIMEOUT))["type"] == "auth.ok"
    assert await client.receive_json_from(TIMEOUT) == {"type": "resync.required", "seq": latest}
    # It then hears what comes next, live.
    await place_order(cafe, cafe.kitchen_item)
    assert (await client.receive_json_from(TIMEOUT))["seq"] == latest + 1
    await client.disconnect()


@pytest.mark.parametrize("behind", ["too_many", "ahead"])
async def test_a_client_too_far_behind_or_ahead_is_told_to_resync(cafe, settings, behind):
    settings.REALTIME_RESYNC_MAX_EVENTS = 3
    for _ in range(3):
        await place_order(cafe, cafe.kitchen_item)
    since = 0 if behind == "too_many" else 10_000
    client = await connected(f"/ws/v1/orders/?since={since}")
    await client.send_json_to({"type": "auth", "token": await token_for(cafe.cashier)})
    await next_of(client, "auth.ok")
    assert (await client.receive_json_from(TIMEOUT))["type"] == "resync.required"
    await client.disconnect()


@database_sync_to_async
def place_order_the_layer_never_hears(cafe, *items):
    """An order whose events commit but never reach the channel layer: the pub/sub layer stores nothing, so a
    process resubscribing after a Redis restart misses what is published meanwhile."""
    with transaction.atomic():
        order = OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(item) for item in items])
        Event.objects.filter(location_id=cafe.location.pk).update(published_at=timezone.now())  # the relay skips them
    return order


async def test_a_live_event_after_missed_ones_replays_them_from_the_outbox_first(cafe):
    # Given a POS screen and a kitchen display that are live
    screen = await with_token("/ws/v1/orders/", cafe.cashier)
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    # When an order's events never reach them, and the next order's do
    missed = await place_order_the_layer_never_hears(cafe, cafe.kitchen_item)
    assert await screen.receive_nothing(0.3)
    heard = await place_order(cafe, cafe.kitchen_item)
    # Then each socket gets the missed events from the outbox, then the new ones: every seq once, in order
    on_screen = [await screen.receive_json_from(TIMEOUT) for _ in range(4)]
    seqs = [message["seq"] for message in on_screen]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    assert [message["type"] for message in on_screen] == ["order.created", "ticket.created"] * 2
    tickets = [await display.receive_json_from(TIMEOUT) for _ in range(2)]
    assert [ticket["data"]["ticket"]["order_id"] for ticket in tickets] == [missed.pk, heard.pk]
    assert await screen.receive_nothing(0.3)
    assert await display.receive_nothing(0.1)


async def test_a_redelivered_event_is_not_sent_twice(cafe):
    # The relay is at least once: the sweeper may publish an event again.
    client = await with_token("/ws/v1/orders/", cafe.cashier)
    await place_order(cafe, cafe.kitchen_item)
    first = [await client.receive_json_from(TIMEOUT) for _ in range(2)]

    @database_sync_to_async
    def publish_again():
        events_publish(list(Event.objects.filter(location_id=cafe.location.pk).order_by("seq")))

    await publish_again()
    assert await client.receive_nothing(0.3)
    assert [m["seq"] for m in first] == sorted(m["seq"] for m in first)
    await client.disconnect()


# -- keepalive ----------------------------------------------------------------------------------------------


async def group_members(group: str) -> set[str]:
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return set(layer.groups.get(group, {}))
    # pub/sub: the process's members of the group, and whether it is still subscribed to it in Redis
    loop_layer = layer._get_layer()
    channel = loop_layer._get_group_channel_name(group)
    members = set(loop_layer.groups.get(channel, set()))
    [(_, subscribers)] = await loop_layer._shards[0]._redis.pubsub_numsub(channel)
    assert subscribers == (1 if members else 0)
    return members


async def test_a_client_that_misses_a_ping_is_closed_and_leaves_its_groups(cafe, settings):
    settings.REALTIME_PING_INTERVAL = 0.2
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    group = location_group(cafe.location.pk)
    assert len(await group_members(group)) == 1
    assert await display.receive_json_from(TIMEOUT) == {"type": "ping"}
    # no pong
    before, code = await close_code(display)
    assert code == 4008
    assert await group_members(group) == set()


async def test_a_client_that_answers_pings_stays_connected(cafe, settings):
    settings.REALTIME_PING_INTERVAL = 0.3  # shorter, and a busy machine can be late with a pong
    client = await with_token("/ws/v1/orders/", cafe.cashier)
    for _ in range(4):
        assert await client.receive_json_from(TIMEOUT) == {"type": "ping"}
        await client.send_json_to({"type": "pong"})
    placing = asyncio.ensure_future(place_order(cafe, cafe.kitchen_item))
    while (message := await client.receive_json_from(TIMEOUT))["type"] != "order.created":
        if message["type"] == "ping":  # as a client does while it waits
            await client.send_json_to({"type": "pong"})
    await placing
    assert message["location_id"] == cafe.location.pk
    assert len(await group_members(location_group(cafe.location.pk))) == 1
    await client.disconnect()
    assert await group_members(location_group(cafe.location.pk)) == set()


async def test_a_member_removed_while_connected_can_no_longer_work_tickets(cafe):
    ticket = await ticket_of(await place_order(cafe, cafe.kitchen_item))
    user = await database_sync_to_async(UserFactory)()
    membership = await database_sync_to_async(MembershipFactory)(user=user, location=cafe.location, role=Role.KITCHEN)
    display = await with_token("/ws/v1/kitchen/?station=KITCHEN", user)
    membership.is_active = False
    await database_sync_to_async(membership.save)()
    await display.send_json_to({"type": "ticket.start", "ticket_id": ticket.pk, "request_id": "late"})
    assert (await next_of(display, "error"))["code"] == "permission.denied"
    await display.disconnect()


async def test_an_event_this_process_missed_reaches_a_quiet_socket_at_the_next_ping(cafe, settings, monkeypatch):
    # given a socket of a quiet location
    settings.REALTIME_PING_INTERVAL = 0.3
    client = await with_token("/ws/v1/orders/", cafe.cashier)
    assert await client.receive_json_from(TIMEOUT) == {"type": "ping"}  # its first replay is over
    await client.send_json_to({"type": "pong"})
    # when an order commits whose live message never reaches this process (published while it was subscribing
    # again after a Redis restart: pub/sub stores nothing), and nothing else happens at the location
    monkeypatch.setattr(outbox, "_handlers", {})
    order = await place_order(cafe, cafe.kitchen_item)

    # then the socket fetches its events from the outbox at the next ping, in order
    created = await next_of(client, "order.created")
    assert created["data"]["order"]["id"] == order.pk
    assert (await next_of(client, "ticket.created"))["seq"] == created["seq"] + 1
    await client.disconnect()


@pytest.mark.redis
async def test_an_idle_socket_still_hears_events_after_the_layers_blocking_read(cafe):
    """Seconds of silence on the layer's Redis connection (reads that time out and repeat) leave it listening."""
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    assert await display.receive_nothing(6.5, interval=0.5)
    await place_order(cafe, cafe.kitchen_item)
    assert (await display.receive_json_from(TIMEOUT))["type"] == "ticket.created"
    await display.disconnect()


# -- backlog ------------------------------------------------------------------------------------------------


@database_sync_to_async
def backlog_of(cafe, count: int) -> None:
    """`count` committed events of the location that were never relayed, as a process that died leaves them."""
    location_id, now = cafe.location.pk, timezone.now()
    with transaction.atomic():
        outbox.location_lock(location_id)
        last = LocationSequence.objects.get(pk=location_id).last_seq
        Event.objects.bulk_create(
            Event(location_id=location_id, seq=last + n, type="test.backlog", data={"n": n}, created_at=now)
            for n in range(1, count + 1)
        )
        LocationSequence.objects.filter(pk=location_id).update(last_seq=last + count)


@pytest.mark.parametrize("pending", [150, 1000])
async def test_a_new_ticket_reaches_a_display_within_a_second_behind_a_backlog_with_no_sweeper(cafe, pending):
    # Given a location with events pending and no sweeper running, and a kitchen display listening (live)
    await backlog_of(cafe, pending)
    display = await authenticated("/ws/v1/kitchen/?station=KITCHEN", cookies=await session_of(cafe, cafe.cook))
    assert await display.receive_nothing(0.3)
    # When an order with a kitchen item is placed
    loop = asyncio.get_running_loop()
    placed = loop.time()
    order = await place_order(cafe, cafe.kitchen_item)
    # Then its ticket reaches the display within a second
    event = await next_of(display, "ticket.created")
    assert loop.time() - placed < 1
    assert event["data"]["ticket"]["order_id"] == order.pk


async def test_a_socket_behind_a_backlog_still_gets_every_event_in_seq_order(cafe):
    # Given a manager's socket listening, then a backlog written while nothing relayed it
    client = await with_token("/ws/v1/orders/", cafe.manager)
    await backlog_of(cafe, 300)
    # When an order is placed (its events published ahead of the backlog)
    await place_order(cafe, cafe.kitchen_item)

    @database_sync_to_async
    def latest_seq():
        return Event.objects.filter(location_id=cafe.location.pk).order_by("-seq").values_list("seq", flat=True)[0]

    final = await latest_seq()
    # Then the socket replays what it skipped: every seq once, in order, up to the order's events
    seqs = []
    while not seqs or seqs[-1] < final:
        seqs.append((await client.receive_json_from(TIMEOUT))["seq"])
    assert seqs == list(range(seqs[0], final + 1))
    assert seqs[0] <= final - 300
    await client.disconnect()
