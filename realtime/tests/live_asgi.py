"""A real uvicorn process serving the ASGI application (HTTP and WebSockets) on a loopback port.

pytest-django's `live_server` is WSGI only; this one speaks WebSockets. Pass it the environment of
`cafepos.tests.concurrency.child_process_env()` so it uses this test run's database (PostgreSQL only).
"""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AsgiServer:
    def __init__(self, *, env: dict[str, str], port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "ALLOWED_ORIGINS": self.url}
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        command = [sys.executable, "-m", "uvicorn", "cafepos.asgi:application", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(command, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"uvicorn did not answer on {self.url} within {timeout} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@contextmanager
def serving_test_database(unblock: Callable[[], AbstractContextManager] = nullcontext) -> Iterator[AsgiServer]:
    """A live uvicorn on this run's test database (`unblock`: pytest-django's `django_db_blocker.unblock` where the
    caller holds no database fixture). It keeps Django's guard against the sync ORM in async code: only the test
    process, which runs Playwright, turns it off."""
    from cafepos.tests.concurrency import child_process_env

    with unblock():
        env = {key: value for key, value in child_process_env().items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    server = AsgiServer(env=env)
    server.start()
    try:
        yield server
    finally:
        server.stop()
