"""`make serve` as a user lives it, in real processes on a SQLite file: a restart (seed_demo again, a new uvicorn)
keeps everyone signed in, and starting prints no warning that does not apply."""

import http.cookiejar
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings

from cafepos.tests.subprocesses import django_env, run_django
from cafepos.tests.waiting import wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(tmp_path: Path) -> dict[str, str]:
    return {"SQLITE_PATH": str(tmp_path / "demo.sqlite3"), "LOG_LEVEL": "WARNING"}


def manage(*args: str, env: dict[str, str]) -> str:
    result = run_django("manage.py", *args, env=env, timeout=240)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


class Server:
    """uvicorn serving cafepos.asgi as `make serve` does, its output in a file."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        with open(log, "w") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "cafepos.asgi:application",
                    "--port",
                    str(self.port),
                    "--lifespan=on",
                ],
                cwd=settings.BASE_DIR,
                env=django_env(env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until(self.answers, timeout=60, message="uvicorn to answer")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answers(self) -> bool:
        try:
            urllib.request.urlopen(self.url("/health"), timeout=2)  # noqa: S310 (our own server)
        except (urllib.error.URLError, ConnectionError):
            return False
        return True

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(20)


def fetch(opener, server: Server, path: str, data: dict | None = None, headers: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(server.url(path), data=body, headers=headers or {})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.url, error.read().decode(errors="replace")


def test_check_on_sqlite_prints_no_warning(tmp_path):
    output = manage("check", "--database", "default", env=demo_env(tmp_path))

    assert "W040" not in output
    assert "no issues" in output


def test_a_restart_keeps_the_back_office_signed_in_and_prints_no_streaming_warning(tmp_path):
    env = demo_env(tmp_path)
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", env=env)
    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    first = Server(env, tmp_path / "first.log")
    try:
        _status, _url, form = fetch(browser, first, "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        credentials = {"csrfmiddlewaretoken": token, "username": "owner@example.com", "password": "cafepos-owner"}
        fetch(browser, first, "/admin/login/?next=/admin/", credentials, {"Referer": first.url("/admin/login/")})
        status, url, _page = fetch(browser, first, "/admin/")
        assert (status, urllib.parse.urlsplit(url).path) == (200, "/admin/")
        static_status, _url, _css = fetch(browser, first, "/static/cafepos/theme.css")
        assert static_status == 200
    finally:
        first.stop()

    manage("seed_demo", env=env)
    second = Server(env, tmp_path / "second.log")
    try:
        status, url, _page = fetch(browser, second, "/admin/")
    finally:
        second.stop()

    assert (status, urllib.parse.urlsplit(url).path) == (200, "/admin/")  # not sent to the login page
    log = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()
    assert "StreamingHttpResponse" not in log
    assert "Warning" not in log
