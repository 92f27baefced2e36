"""An open-loop HTTP load generator: requests leave at a fixed rate whether or not earlier ones were answered.

    echo '{"url": "http://127.0.0.1:8180", "rate": 200, "duration": 10, "kind": "get", "path": "/health"}' \
        | .venv/bin/python bench/loadgen.py

Reads one JSON job on stdin and prints one JSON result. Request i is due at start + i / rate; its latency is
measured from that due time, so a slow server cannot slow the arrivals down and hide its queue (coordinated
omission). Plain asyncio (uvloop when installed) speaking HTTP/1.1 keep-alive on a pool of connections that
grows while requests wait, up to `max_connections`; no HTTP library, so the client stays light. Only
loopback targets are accepted.

Job fields: url, rate, duration (s), kind (`get`, `order_create` or `payment`), path, token (a JWT), body
(order create), targets ([order id, amount] pairs to pay, one each), timeout (s), max_connections.
Result: sent, ok, errors and their kinds, latency percentiles (ms), achieved rate (answers with 2xx per
second), client lag and CPU, and for order creates the created orders as [id, balance due].
"""

import asyncio
import json
import resource
import sys
import time
import uuid
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    async def request(self, raw: bytes) -> tuple[int, bytes, bool]:
        """Send one request; (status, body, whether the connection may be reused)."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.read()
            return status, body, False
        return status, body, headers.get("connection", "").lower() != "close"

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        self.writer.close()


class Pool:
    def __init__(self, host: str, port: int, maximum: int):
        self.host, self.port, self.maximum = host, port, maximum
        self.idle: list[Connection] = []
        self.opened = 0
        self.peak = 0
        self.freed = asyncio.Condition()

    async def acquire(self) -> Connection:
        async with self.freed:
            while not self.idle and self.opened >= self.maximum:
                await self.freed.wait()
            if self.idle:
                return self.idle.pop()
            self.opened += 1
            self.peak = max(self.peak, self.opened)
        try:
            return Connection(*await asyncio.open_connection(self.host, self.port))
        except BaseException:
            await self.release(None)
            raise

    async def release(self, connection: Connection | None) -> None:
        async with self.freed:
            if connection is None:
                self.opened -= 1
            else:
                self.idle.append(connection)
            self.freed.notify()


def build_requests(job: dict, host_header: str):
    """A function i -> (raw request bytes, payment target or None) for the job's kind."""
    auth = f"Authorization: Bearer {job['token']}\r\n" if job.get("token") else ""
    base = f"Host: {host_header}\r\nAccept: application/json\r\n{auth}"
    kind = job["kind"]

    def post(path: str, body: dict) -> bytes:
        data = json.dumps(body, separators=(",", ":")).encode()
        head = (
            f"POST {path} HTTP/1.1\r\n{base}Content-Type: application/json\r\n"
            f"Idempotency-Key: {uuid.uuid4()}\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        return head.encode() + data

    if kind == "get":
        raw = f"GET {job['path']} HTTP/1.1\r\n{base}\r\n".encode()
        return lambda i: (raw, None)
    if kind == "order_create":
        return lambda i: (post(job["path"], job["body"]), None)
    if kind == "payment":
        targets = job["targets"]

        def payment(i):
            order_id, amount = targets[i]
            return post(f"/api/v1/orders/{order_id}/payments/", {"tender": "CARD", "amount": amount}), order_id

        return payment
    raise ValueError(f"unknown kind {kind!r}")


def percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def run(job: dict) -> dict:
    url = urlsplit(job["url"])
    if url.hostname not in LOOPBACK:
        raise SystemExit(f"loadgen: only loopback targets, not {url.hostname}")
    rate, duration = float(job["rate"]), float(job["duration"])
    timeout = float(job.get("timeout", 10))
    count = int(rate * duration)
    if job["kind"] == "payment":
        count = min(count, len(job["targets"]))
    pool = Pool(url.hostname, url.port or 80, int(job.get("max_connections", 256)))
    make = build_requests(job, url.netloc)
    latencies: list[float] = []
    lags: list[float] = []
    errors: dict[str, int] = {}
    created: list[list[int]] = []
    keep_created = job["kind"] == "order_create"

    def failed(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    async def one(due: float, raw: bytes) -> None:
        lags.append(time.perf_counter() - due)
        connection = None
        try:
            async with asyncio.timeout(timeout):
                connection = await pool.acquire()
                status, body, reusable = await connection.request(raw)
        except TimeoutError:
            failed("timeout")
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            failed(error.__class__.__name__)
        else:
            latencies.append(time.perf_counter() - due)
            if 200 <= status < 300:
                if keep_created:
                    order = json.loads(body)
                    created.append([order["id"], order["balance_due"]])
            else:
                failed(f"http_{status}")
            if reusable:
                await pool.release(connection)
                return
        if connection is not None:
            connection.close()
            await pool.release(None)

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(count):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        raw, _ = make(i)
        tasks.append(asyncio.create_task(one(due, raw)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    for connection in pool.idle:
        connection.close()
    ordered = sorted(latencies)
    failures = sum(errors.values())
    ms = lambda value: None if value is None else round(value * 1000, 2)  # noqa: E731
    return {
        "kind": job["kind"],
        "path": job.get("path"),
        "rate": rate,
        "duration": duration,
        "sent": count,
        "ok": count - failures,
        "errors": failures,
        "error_rate": round(failures / count, 5) if count else 0.0,
        "error_kinds": errors,
        "p50_ms": ms(percentile(ordered, 0.50)),
        "p95_ms": ms(percentile(ordered, 0.95)),
        "p99_ms": ms(percentile(ordered, 0.99)),
        "max_ms": ms(ordered[-1] if ordered else None),
        "achieved_rps": round((count - failures) / elapsed, 1) if elapsed > 0 else 0.0,
        "client_lag_p99_ms": ms(percentile(sorted(lags), 0.99)),
        "client_cpu_share": round(cpu / elapsed, 3) if elapsed > 0 else 0.0,
        "connections": pool.peak,
        "created": created,
    }


def main() -> None:
    job = json.load(sys.stdin)
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(job))
    else:
        result = uvloop.run(run(job))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
