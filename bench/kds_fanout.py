"""Kitchen display fan-out: how fast a new order reaches 50 displays, and how many idle sockets one uvicorn holds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cafepos_bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/kds_fanout.py [--displays 50] [--orders 200] [--idle 5000] [--write bench/RESULTS.md]

Uses a throwaway PostgreSQL database (created if missing, migrated and emptied here) and Redis, and starts one
uvicorn process on a free loopback port. Phase 1 opens `--displays` kitchen sockets (a paired terminal's
session), creates `--orders` orders one after another through POST /api/v1/orders/ and times each
ticket.created from the create request and from its response to its receipt on every display; anything not
received within 5 s counts as lost. Phase 2 restarts the server, opens idle sockets in steps up to `--idle`
(they answer the server's pings), records the server's resident memory at each step, and checks that every
socket still receives a broadcast ticket. Only loopback addresses are used.
"""

import argparse
import asyncio
import collections
import datetime
import json
import os
import platform
import re
import resource
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from bench.database import database_ensure  # noqa: E402
from bench.markdown import write_section  # noqa: E402
from orders.tests.factories import OrderFactory, line  # noqa: E402
from realtime.tests.live_asgi import AsgiServer  # noqa: E402
from testing.cafes import make_cafe  # noqa: E402

SECTION_START = "<!-- kds_fanout:start -->"
SECTION_END = "<!-- kds_fanout:end -->"
LOST_AFTER = 5.0  # seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


class Display:
    """One kitchen socket that answers pings and notes when each order's ticket arrived."""

    def __init__(self, url: str, origin: str, cookie: str):
        self.url, self.origin, self.cookie = url, origin, cookie
        self.received: dict[int, list[float]] = {}
        self.ready = asyncio.Event()
        self.socket = None
        self.close_code: int | None = None

    async def run(self) -> None:
        async with connect(self.url, origin=self.origin, additional_headers={"Cookie": self.cookie}) as socket:
            self.socket = socket
            async for frame in socket:
                now = time.perf_counter()
                message = json.loads(frame)
                if message["type"] == "auth.ok":
                    self.ready.set()
                elif message["type"] == "ping":
                    await socket.send('{"type":"pong"}')
                elif message["type"] == "ticket.created":
                    self.received.setdefault(message["data"]["ticket"]["order_id"], []).append(now)
        self.close_code = socket.close_code


async def open_displays(count: int, server: AsgiServer, cookie: str, tasks: list) -> list[Display]:
    url = server.url.replace("http://", "ws://") + "/ws/v1/kitchen/?station=KITCHEN"
    displays = []
    for _ in range(count):
        display = Display(url, server.url, cookie)
        tasks.append(asyncio.create_task(display.run()))
        await asyncio.wait_for(display.ready.wait(), 30)
        displays.append(display)
    return displays


def api_order_create(server: AsgiServer, token: str, item_id: int) -> int:
    body = json.dumps({"type": "TAKEAWAY", "items": [{"menu_item_id": item_id, "quantity": 1}]}).encode()
    request = urllib.request.Request(
        f"{server.url}/api/v1/orders/",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["id"]


async def fanout(server: AsgiServer, cafe, cookie: str, token: str, displays_count: int, orders_count: int) -> dict:
    tasks: list[asyncio.Task] = []
    displays = await open_displays(displays_count, server, cookie, tasks)
    sent: dict[int, tuple[float, float]] = {}
    for _ in range(orders_count):
        started = time.perf_counter()
        order_id = await asyncio.to_thread(api_order_create, server, token, cafe.kitchen_item.pk)
        sent[order_id] = (started, time.perf_counter())
        await asyncio.sleep(0.02)
    await asyncio.sleep(LOST_AFTER)
    from_response, from_request, lost, duplicates = [], [], 0, 0
    for display in displays:
        for order_id, (started, answered) in sent.items():
            arrivals = display.received.get(order_id, [])
            if not arrivals or arrivals[0] - answered > LOST_AFTER:
                lost += 1
                continue
            duplicates += len(arrivals) - 1
            from_response.append((arrivals[0] - answered) * 1000)
            from_request.append((arrivals[0] - started) * 1000)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "displays": displays_count,
        "orders": orders_count,
        "expected": displays_count * orders_count,
        "lost": lost,
        "duplicates": duplicates,
        "from_response": from_response,
        "from_request": from_request,
    }


async def idle_capacity(server: AsgiServer, cafe, cookie: str, maximum: int, step: int) -> dict:
    tasks: list[asyncio.Task] = []
    await open_displays(1, server, cookie, tasks)
    await asyncio.sleep(1)
    baseline = rss_kib(server.process.pid)
    displays, steps, failure = [], [], None
    while len(displays) < maximum:
        try:
            displays += await open_displays(min(step, maximum - len(displays)), server, cookie, tasks)
        except Exception as error:  # the limit: record it, keep what is open
            failure = f"{error.__class__.__name__}: {error}"
            break
        await asyncio.sleep(1)
        steps.append((len(displays), rss_kib(server.process.pid)))
    # Every socket still there? Broadcast one ticket and count who gets it.
    order = await asyncio.to_thread(
        lambda: OrderFactory(location=cafe.location, staff=cafe.cashier, lines=[line(cafe.kitchen_item)])
    )
    started = time.perf_counter()
    deadline = started + 30
    while time.perf_counter() < deadline and sum(order.pk in d.received for d in displays) < len(displays):
        await asyncio.sleep(0.05)
    closed = collections.Counter(d.close_code for d in displays if d.close_code is not None)
    heard = sum(order.pk in d.received for d in displays)
    arrivals = [d.received[order.pk][0] for d in displays if order.pk in d.received]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "baseline_kib": baseline,
        "steps": steps,
        "failure": failure,
        "heard": heard,
        "open": len(displays),
        "closed": dict(closed),
        "broadcast_ms": (max(arrivals) - started) * 1000 if arrivals else None,
    }


def cpu_model() -> str:
    for row in Path("/proc/cpuinfo").read_text().splitlines():
        if row.startswith("model name"):
            return row.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def report(fan: dict, idle: dict) -> str:
    def row(name, values):
        if not values:
            return f"| {name} | – | – | – | – |"
        cells = [percentile(values, share) for share in (0.5, 0.95, 0.99)] + [max(values)]
        return f"| {name} | " + " | ".join(f"{value:.1f}" for value in cells) + " |"

    lines = [
        SECTION_START,
        "## Kitchen display fan-out (`make bench-kds`)",
        "",
        f"Run {datetime.date.today().isoformat()} on {os.cpu_count()} cores ({cpu_model()}), Python "
        f"{platform.python_version()}; one uvicorn process, PostgreSQL and Redis on loopback, the bench client on "
        "the same cores (and other work on the machine), so the figures are an upper bound on latency.",
        "",
        f"**{fan['displays']} kitchen displays, {fan['orders']} orders** created one after another through "
        "`POST /api/v1/orders/`: each ticket.created on each display.",
        "",
        f"Deliveries expected {fan['expected']}, lost {fan['lost']}, duplicated {fan['duplicates']}.",
        "",
        "| latency (ms) | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|",
        row("create response → display", fan["from_response"]),
        row("create request sent → display", fan["from_request"]),
        "",
        "The event is published after the order's commit, before the response is written, so receipt can come",
        "before the response (negative values); the request-to-display time is what a cook sees.",
        "",
        "**Idle kitchen sockets on one uvicorn process** (each answers the 20 s ping):",
        "",
        "| open sockets | server RSS (MiB) | per socket (KiB) |",
        "|---|---|---|",
        f"| 1 | {idle['baseline_kib'] / 1024:.0f} | – |",
    ]
    for count, kib in idle["steps"]:
        lines.append(f"| {count} | {kib / 1024:.0f} | {(kib - idle['baseline_kib']) / count:.0f} |")
    stop = idle["failure"] or f"the bench's limit (--idle {idle['open']}); the process was not exhausted"
    broadcast = f"{idle['broadcast_ms']:.0f} ms" if idle["broadcast_ms"] is not None else "n/a"
    lines += [
        "",
        f"Stopped at: {stop}. A ticket broadcast afterwards reached {idle['heard']} of {idle['open']} sockets "
        f"(the last after {broadcast}); closed by the server before it: {idle['closed'] or 'none'}.",
        SECTION_END,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--displays", type=int, default=50)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--idle", type=int, default=5000, help="idle sockets to open at most")
    parser.add_argument("--step", type=int, default=1000)
    parser.add_argument("--write", type=Path, help="put the results section into this Markdown file")
    options = parser.parse_args()
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql") or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL (PostgreSQL, a throwaway database) and REDIS_URL.")
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it
    database_ensure(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    cafe = make_cafe()
    cookie = "; ".join(f"{name}={value}" for name, value in cafe.cookies(cafe.cook).items())
    token = str(AccessToken.for_user(cafe.cashier))
    env = {**os.environ, "RATE_LIMIT_MAX_REQUESTS": "1000000", "LOG_LEVEL": "WARNING"}
    for cap in ("USER", "TERMINAL", "ADDRESS"):  # thousands of sockets of one user (README "WebSocket caps")
        env[f"REALTIME_MAX_SOCKETS_PER_{cap}"] = "0"

    server = AsgiServer(env=env)
    server.start()
    try:
        fan = asyncio.run(fanout(server, cafe, cookie, token, options.displays, options.orders))
    finally:
        server.stop()
    server = AsgiServer(env=env)
    server.start()
    try:
        idle = asyncio.run(idle_capacity(server, cafe, cookie, options.idle, options.step))
    finally:
        server.stop()
    section = report(fan, idle)
    print(section)
    if options.write:
        write_section(options.write, section)


if __name__ == "__main__":
    main()
