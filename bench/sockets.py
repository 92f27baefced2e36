"""WebSocket figures of the bench stack: fan-out of new orders to kitchen displays and POS screens, and idle
sockets per ASGI process with their memory. Used by bench/run.py; every address is loopback.

Sockets authenticate as API clients do (an access JWT in the first message) and answer the server's pings.
"""

import asyncio
import json
import os
import re
import time
import uuid
from pathlib import Path

from websockets.asyncio.client import connect

from bench.loadgen import Connection, percentile

LOST_AFTER = 5.0  # seconds after the last order: anything not received by then is lost


def rss_kib(pid: int) -> int:
    return int(re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Listener:
    """One socket that notes, per order id, when its event of `kind` arrived."""

    def __init__(self, url: str, origin: str, token: str, kind: str):
        self.url, self.origin, self.token, self.kind = url, origin, token, kind
        self.arrivals: dict[int, list[float]] = {}
        self.ready = asyncio.Event()

    def order_id(self, message: dict) -> int | None:
        if message.get("type") != self.kind:
            return None
        data = message.get("data", {})
        if "ticket" in data:
            return data["ticket"].get("order_id")
        return data.get("order", {}).get("id")

    async def run(self) -> None:
        async with connect(self.url, origin=self.origin, ping_interval=None, max_queue=None) as socket:
            await socket.send(json.dumps({"type": "auth", "token": self.token}))
            async for frame in socket:
                now = time.perf_counter()
                message = json.loads(frame)
                kind = message.get("type")
                if kind == "auth.ok":
                    self.ready.set()
                elif kind == "ping":
                    await socket.send('{"type":"pong"}')
                elif kind == "error":
                    raise RuntimeError(f"socket refused: {message}")
                else:
                    order_id = self.order_id(message)
                    if order_id is not None:
                        self.arrivals.setdefault(order_id, []).append(now)


async def open_listeners(specs: list[tuple[str, str, str]], origin: str, tasks: list, batch: int = 100):
    """Open (url, token, event kind) sockets, `batch` at a time; each is authenticated when this returns."""
    listeners = []
    for start in range(0, len(specs), batch):
        chunk = [Listener(url, origin, token, kind) for url, token, kind in specs[start : start + batch]]
        tasks += [asyncio.create_task(listener.run()) for listener in chunk]
        await asyncio.wait_for(asyncio.gather(*(listener.ready.wait() for listener in chunk)), 60)
        listeners += chunk
    return listeners


async def order_create(base_url: str, token: str, body: dict) -> tuple[int, float, float]:
    """POST one order on a fresh keep-alive connection; (id, sent at, answered at)."""
    host, port = base_url.removeprefix("http://").split(":")
    data = json.dumps(body).encode()
    raw = (
        f"POST /api/v1/orders/ HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nIdempotency-Key: {uuid.uuid4()}\r\nContent-Length: {len(data)}\r\n\r\n"
    ).encode() + data
    connection = Connection(*await asyncio.open_connection(host, int(port)))
    try:
        sent = time.perf_counter()
        status, answer, _ = await connection.request(raw)
        answered = time.perf_counter()
    finally:
        connection.close()
    if status != 201:
        raise RuntimeError(f"order create answered {status}: {answer[:300]!r}")
    return json.loads(answer)["id"], sent, answered


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    cells = {f"p{share}_ms": percentile(ordered, share / 100) for share in (50, 95, 99)}
    return {name: round(value * 1000, 2) if value is not None else None for name, value in cells.items()} | {
        "max_ms": round(ordered[-1] * 1000, 2) if ordered else None
    }


async def fanout(
    *, base_url: str, tokens: dict, body: dict, displays: int, screens: int, orders: int, rate: float, ws_pid: int
):
    """`displays` kitchen sockets and `screens` POS sockets; `orders` orders at `rate` a second, each timed from
    its create response (and request) to its arrival on every socket, and the ASGI process's CPU time per order
    (which other work on the machine inflates less than latency)."""
    ws = base_url.replace("http://", "ws://")
    specs = [(f"{ws}/ws/v1/kitchen/?station=KITCHEN", tokens["kitchen"], "ticket.created")] * displays
    specs += [(f"{ws}/ws/v1/orders/", tokens["cashier"], "order.created")] * screens
    tasks: list[asyncio.Task] = []
    listeners = await open_listeners(specs, base_url, tasks)
    sent: dict[int, tuple[float, float]] = {}
    cpu_before = cpu_seconds(ws_pid)
    started = time.perf_counter()
    for index in range(orders):
        await asyncio.sleep(max(0.0, started + index / rate - time.perf_counter()))
        order_id, request_at, response_at = await order_create(base_url, tokens["cashier"], body)
        sent[order_id] = (request_at, response_at)
    await asyncio.sleep(LOST_AFTER)
    ws_cpu = cpu_seconds(ws_pid) - cpu_before
    from_response, from_request, lost, duplicates = [], [], 0, 0
    for listener in listeners:
        for order_id, (request_at, response_at) in sent.items():
            arrivals = listener.arrivals.get(order_id, [])
            if not arrivals:
                lost += 1
                continue
            duplicates += len(arrivals) - 1
            from_response.append(arrivals[0] - response_at)
            from_request.append(arrivals[0] - request_at)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "kitchen_displays": displays,
        "pos_screens": screens,
        "orders": orders,
        "rate": rate,
        "deliveries_expected": len(listeners) * orders,
        "lost": lost,
        "duplicates": duplicates,
        "asgi_cpu_ms_per_order": round(1000 * ws_cpu / orders, 2),
        "before_response_share": round(sum(value < 0 for value in from_response) / max(1, len(from_response)), 3),
        "from_response": _summary(from_response),
        "from_request": _summary(from_request),
    }


async def idle(*, ws_url: str, origin: str, base_url: str, tokens: dict, body: dict, pid: int, maximum: int, step: int):
    """Open idle kitchen sockets on one ASGI process in steps up to `maximum`, its RSS after each, then check
    that every socket still hears a new order."""
    url = f"{ws_url}/ws/v1/kitchen/?station=KITCHEN"
    tasks: list[asyncio.Task] = []
    baseline = rss_kib(pid)
    listeners, steps, failure = [], [], None
    while len(listeners) < maximum:
        count = min(step, maximum - len(listeners))
        try:
            listeners += await open_listeners([(url, tokens["kitchen"], "ticket.created")] * count, origin, tasks)
        except Exception as error:  # the process's limit: record it, keep what is open
            failure = f"{error.__class__.__name__}: {error}"
            break
        await asyncio.sleep(2)
        steps.append({"sockets": len(listeners), "rss_kib": rss_kib(pid)})
    order_id, _, answered = await order_create(base_url, tokens["cashier"], body)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and sum(order_id in item.arrivals for item in listeners) < len(listeners):
        await asyncio.sleep(0.05)
    arrivals = [item.arrivals[order_id][0] for item in listeners if order_id in item.arrivals]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    top = steps[-1] if steps else {"sockets": 0, "rss_kib": baseline}
    return {
        "baseline_rss_kib": baseline,
        "steps": steps,
        "open": len(listeners),
        "stopped_by": failure,
        "per_socket_kib": round((top["rss_kib"] - baseline) / top["sockets"], 1) if top["sockets"] else None,
        "heard_broadcast": len(arrivals),
        "broadcast_last_ms": round((max(arrivals) - answered) * 1000, 1) if arrivals else None,
    }
