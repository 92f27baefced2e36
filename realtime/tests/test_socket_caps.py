"""Open-socket caps (per user, terminal and client address, close 4029) and a socket surviving bad frames and
crashes with its clean-up done."""

import asyncio

import pytest
from prometheus_client import REGISTRY

from realtime import consumers
from realtime.slots import SocketSlots, slot_ttl, socket_caps

from .test_sockets import (  # noqa: F401 (autouse fixtures: a fresh layer, sockets closed after each test)
    TIMEOUT,
    channel_layer_kind,
    close_code,
    connected,
    opened,
    session_of,
    sockets_disconnected,
    token_for,
    with_token,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def gauge(stream="orders") -> float:
    return REGISTRY.get_sample_value("cafepos_websocket_connections", {"consumer": stream}) or 0.0


async def refused_with(path, user, *, cookies=None) -> tuple[list[dict], int]:
    client = await connected(path, cookies=cookies)
    if cookies is None:
        await client.send_json_to({"type": "auth", "token": await token_for(user)})
    return await close_code(client)


# -- caps -----------------------------------------------------------------------------------------------------


async def test_the_socket_over_the_users_cap_is_closed_with_4029_and_a_closed_one_frees_its_slot(cafe, settings):
    settings.REALTIME_MAX_SOCKETS_PER_USER = 3
    clients = [await with_token("/ws/v1/orders/", cafe.cashier) for _ in range(3)]
    before, code = await refused_with("/ws/v1/orders/", cafe.cashier)
    assert code == 4029
    assert before[-1]["code"] == "socket.too_many"
    await with_token("/ws/v1/orders/", cafe.manager)  # another user is not affected
    await clients[0].disconnect(timeout=TIMEOUT)
    await with_token("/ws/v1/orders/", cafe.cashier)  # the slot came back


async def test_the_terminal_cap_holds_across_its_staff(cafe, settings):
    settings.REALTIME_MAX_SOCKETS_PER_TERMINAL = 2
    for user in (cafe.cashier, cafe.manager):
        listening = await connected("/ws/v1/orders/", cookies=await session_of(cafe, user))
        assert (await listening.receive_json_from(TIMEOUT))["type"] == "auth.ok"
    before, code = await refused_with("/ws/v1/orders/", cafe.owner, cookies=await session_of(cafe, cafe.owner))
    assert code == 4029


async def test_the_address_cap_refuses_before_authentication(cafe, settings):
    settings.REALTIME_MAX_SOCKETS_PER_ADDRESS = 2
    for _ in range(2):
        waiting = await connected("/ws/v1/orders/")
        await waiting.send_to(text_data="?")  # answered once its connect (and slot) is done
        assert (await waiting.receive_json_from(TIMEOUT))["code"] == "message.malformed"
    client = opened("/ws/v1/orders/")
    await client.connect(timeout=TIMEOUT)
    before, code = await close_code(client)
    assert code == 4029


async def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(settings):
    scope = {"client": ("10.0.0.2", 5000), "headers": [(b"x-forwarded-for", b"198.51.100.9, 203.0.113.7")]}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    assert consumers.socket_client_address(scope) == "10.0.0.2"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert consumers.socket_client_address(scope) == "203.0.113.7"


async def test_a_slot_not_refreshed_expires_so_a_crashed_process_frees_it(settings):
    settings.REALTIME_PING_INTERVAL = 0.1
    settings.REALTIME_MAX_SOCKETS_PER_USER = 1
    caps = socket_caps(user_id=987654)
    crashed, alive = SocketSlots(), SocketSlots()
    assert await crashed.take(caps) is None
    assert await alive.take(caps) == "user:987654"  # full
    await asyncio.sleep(slot_ttl() + 0.1)  # `crashed` never refreshes nor releases
    assert await alive.take(caps) is None
    for _ in range(3):  # a refreshed slot stays
        await asyncio.sleep(slot_ttl() / 2)
        await alive.refresh()
    assert await SocketSlots().take(caps) == "user:987654"
    await alive.release()
    assert await SocketSlots().take(caps) is None


async def test_a_lifted_cap_counts_nothing(settings):
    settings.REALTIME_MAX_SOCKETS_PER_USER = 0
    caps = socket_caps(user_id=987655)
    holders = [SocketSlots() for _ in range(5)]
    assert [await holder.take(caps) for holder in holders] == [None] * 5


# -- bad frames and crashes -----------------------------------------------------------------------------------

NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("authenticate", [False, True], ids=["before-auth", "after-auth"])
async def test_nested_json_gets_an_error_and_the_socket_stays_open(cafe, authenticate):
    client = await (with_token("/ws/v1/orders/", cafe.cashier) if authenticate else connected("/ws/v1/orders/"))
    await client.send_to(text_data=NESTED)
    reply = await client.receive_json_from(TIMEOUT)
    assert (reply["type"], reply["code"]) == ("error", "message.malformed")
    if not authenticate:
        await client.send_json_to({"type": "auth", "token": await token_for(cafe.cashier)})
        assert (await client.receive_json_from(TIMEOUT))["type"] == "auth.ok"
    await client.send_json_to({"type": "ping"})
    assert await client.receive_json_from(TIMEOUT) == {"type": "pong"}


async def test_thirty_sockets_sending_nested_json_leave_the_gauge_where_it_was(cafe):
    start = gauge()
    clients = [await connected("/ws/v1/orders/") for _ in range(15)]
    clients += [await with_token("/ws/v1/orders/", cafe.cashier) for _ in range(15)]
    for client in clients:
        await client.send_to(text_data=NESTED)
        assert (await client.receive_json_from(TIMEOUT))["code"] == "message.malformed"
    assert gauge() == start + 30
    for client in clients:
        await client.disconnect(timeout=TIMEOUT)
    assert gauge() == start


async def test_an_unexpected_exception_closes_with_1011_and_cleans_up(cafe, settings, monkeypatch):
    settings.REALTIME_MAX_SOCKETS_PER_USER = 1
    start = gauge()
    client = await with_token("/ws/v1/orders/", cafe.cashier)

    async def boom(self, kind, message):
        raise RuntimeError("a bug")

    monkeypatch.setattr(consumers.EventStreamConsumer, "ticket_action", boom)
    await client.send_json_to({"type": "ticket.bump", "ticket_id": 1, "request_id": "x"})
    _, code = await close_code(client)
    assert code == 1011
    await client.disconnect(timeout=TIMEOUT)
    assert gauge() == start
    monkeypatch.undo()
    await with_token("/ws/v1/orders/", cafe.cashier)  # its slot was released


async def test_a_burst_of_concurrent_takes_never_passes_the_cap(settings):
    """A flood's handshakes at once: they queue for the store rather than being let in uncounted."""
    settings.REALTIME_MAX_SOCKETS_PER_USER = 50
    caps = socket_caps(user_id=987656)
    refused = await asyncio.gather(*(SocketSlots().take(caps) for _ in range(1000)))
    assert refused.count(None) == 50


async def test_a_failed_background_task_closes_with_1011(cafe, monkeypatch):
    async def boom(self):
        raise RuntimeError("a bug in the replay")

    monkeypatch.setattr(consumers.EventStreamConsumer, "replay", boom)
    client = await with_token("/ws/v1/orders/", cafe.cashier)
    _, code = await close_code(client)
    assert code == 1011
