"""A webhook receiver on 127.0.0.1 (http.server in a thread) that records requests and answers as told."""

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def signature_valid(*, secret: str, header: str, body: bytes) -> bool:
    """What a receiver checks: `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def closed_port() -> int:
    """A loopback port nobody listens on (bound once to get a free number, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """`statuses`: the status of each request in turn (then 200). `hold_first`: the first request waits on `release`.
    `delay`: every request waits that many seconds (or until `release`) before its answer."""

    def __init__(self, statuses=(), hold_first: bool = False, delay: float = 0):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.hold_first = hold_first
        self.delay = delay
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    number = len(receiver.requests)
                    receiver.requests.append(
                        {"headers": self.headers, "body": body, "json": json.loads(body), "at": time.time()}
                    )
                    status = receiver.statuses[number] if number < len(receiver.statuses) else 200
                if receiver.hold_first and number == 0:
                    receiver.release.wait(30)
                if receiver.delay:
                    receiver.release.wait(receiver.delay)
                try:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(b"ok" if status < 300 else b"boom")
                except OSError:
                    pass  # the worker that sent it is gone

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def ids(self) -> list[str]:
        return [request["json"]["id"] for request in self.requests]
