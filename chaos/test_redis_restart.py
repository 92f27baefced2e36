"""Redis dies under traffic and comes back empty (no persistence): orders are still accepted, reads fall back to
the database, throttling fails open with a log line, events committed meanwhile are published once Redis is
back, and a WebSocket client sees every event, in order, no gap: its socket stays open (the channel layer
subscribes again) and fetches what the layer missed from the outbox, or it reconnects with `?since=<last seq>`.
"""

import asyncio
import json
import threading
import time

import pytest
from websockets.asyncio.client import connect

from cafepos.tests.waiting import wait_until

from .conftest import call, login, new_key, order_body

pytestmark = pytest.mark.chaos

OUTAGE = 4.0  # seconds Redis stays down


@pytest.fixture
def servers(cluster):
    web = cluster.server("gunicorn", DATABASE_POOL_MAX="0")
    ws = cluster.server("uvicorn")
    web.start()
    ws.start()
    yield web, ws
    web.stop()
    ws.stop()


class OrdersScreen:
    """A POS screen on /ws/v1/orders/ as the README describes the client: authenticate with a JWT, keep the last
    seq, and after any disconnect reconnect with `?since=<last seq>` (retrying every 0.5 s)."""

    def __init__(self, url: str, token: str, last_seq: int):
        self.url, self.token, self.last_seq = url, token, last_seq
        self.seqs: list[int] = []
        self.connections = 0
        self.resyncs = 0
        self.stop = threading.Event()

    def run(self) -> None:
        asyncio.run(self._run())

    async def _run(self) -> None:
        while not self.stop.is_set():
            try:
                async with connect(f"{self.url}?since={self.last_seq}", origin="http://127.0.0.1") as socket:
                    await socket.send(json.dumps({"type": "auth", "token": self.token}))
                    while not self.stop.is_set():
                        try:
                            frame = await asyncio.wait_for(socket.recv(), 0.5)
                        except TimeoutError:
                            continue
                        self.receive(json.loads(frame))
            except Exception:  # refused or dropped while Redis is away: try again
                await asyncio.sleep(0.5)

    def receive(self, message: dict) -> None:
        if message["type"] == "auth.ok":
            self.connections += 1
        elif message["type"] == "resync.required":
            self.resyncs += 1
        elif "seq" in message and message["seq"] > self.last_seq:
            self.seqs.append(message["seq"])
            self.last_seq = message["seq"]


def test_a_redis_restart_loses_no_order_and_no_event(cluster, servers):
    web, ws = servers
    token = login(web.url)
    body = order_body(cluster)
    [(first_seq,)] = cluster.sql("SELECT last_seq FROM cafepos_locationsequence WHERE location_id = %s", [1])
    screen = OrdersScreen(ws.url.replace("http://", "ws://") + "/ws/v1/orders/", token, first_seq)
    answers: dict[str, list[int]] = {"create": [], "menu": []}
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            created = call(web.url, "POST", "/api/v1/orders/", token=token, body=body, key=new_key(), timeout=20)
            answers["create"].append(created.status)
            answers["menu"].append(call(web.url, "GET", "/api/v1/menu/", token=token, timeout=20).status)
            time.sleep(0.1)

    threads = [threading.Thread(target=screen.run), threading.Thread(target=traffic)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: screen.connections and len(screen.seqs) >= 5, timeout=30, message="events before")
        # When Redis is killed under traffic and started again, empty
        cluster.redis.kill()
        time.sleep(OUTAGE)
        during = len(answers["create"])
        cluster.redis.start()
        wait_until(lambda: len(answers["create"]) >= during + 20, timeout=60, message="orders after Redis is back")
    finally:
        stop.set()
        threads[1].join(30)

    # Then every order and menu read was answered, during the outage too
    try:
        assert set(answers["create"]) == {201}, answers["create"]
        assert set(answers["menu"]) == {200}, answers["menu"]
        assert during > 5, "traffic went on while Redis was down"
        assert "Rate limiting is off: Redis did not answer" in web.log.read_text()
        # and every event is published and reached the screen, which replayed what it missed
        [(last_seq,)] = cluster.sql("SELECT last_seq FROM cafepos_locationsequence WHERE location_id = %s", [1])
        wait_until(
            lambda: cluster.sql("SELECT count(*) FROM cafepos_event WHERE published_at IS NULL") == [(0,)],
            timeout=30,
            message="the events of the outage published",
        )
        wait_until(lambda: screen.last_seq >= last_seq, timeout=30, message="the screen caught up")
        assert screen.seqs == list(range(first_seq + 1, last_seq + 1)), "no gap, no repeat"
        assert screen.resyncs == 0
    finally:
        screen.stop.set()
        threads[0].join(30)
