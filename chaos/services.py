"""Private PostgreSQL and Redis servers and CafePOS server processes for the fault tests (`make chaos`).

PostgreSQL is a cluster of its own (`initdb` as the `postgres` user, which initdb requires when we are root, in
a temporary folder it owns) and Redis a `redis-server` of its own, both on free loopback ports: the tests stop,
kill and restart them without disturbing anything else on the machine. The CafePOS processes are the
production ones (gunicorn with deploy/gunicorn.conf.py, uvicorn) with production settings.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from cafepos.tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found[-1]


class PrivatePostgres:
    """A throwaway cluster: trust authentication for `postgres` on 127.0.0.1, fsync off (the tests need no
    durability across machine crashes, only across server restarts)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cafepos-chaos-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/cafepos"

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)  # noqa: S603

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, user="postgres", group="postgres")
        self._as_postgres(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as connection:
            connection.execute("CREATE DATABASE cafepos")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off -c max_connections=200"
        self._as_postgres(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` (clients disconnected, clean shutdown) or `immediate` (like a crash: recovery on start)."""
        self._as_postgres(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        wait_until(self.answers, timeout=10, message="redis-server")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL: every connection drops at once, nothing is saved."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Server:
    """A CafePOS server process (gunicorn or uvicorn) on a loopback port, its output in a log file."""

    def __init__(self, kind: str, env: dict[str, str], log_dir: Path):
        self.kind, self.env, self.log_dir = kind, env, log_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def command(self) -> list[str]:
        if self.kind == "gunicorn":
            return [str(VENV_BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "--workers", "2"] + [
                "--bind",
                f"127.0.0.1:{self.port}",
                "cafepos.wsgi",
            ]
        return [str(VENV_BIN / "uvicorn"), "cafepos.asgi:application", "--host", "127.0.0.1"] + [
            "--port",
            str(self.port),
            "--lifespan",
            "on",
            "--no-access-log",
        ]

    @property
    def log(self) -> Path:
        return self.log_dir / f"{self.kind}-{self.port}.log"

    def start(self, timeout: float = 60) -> None:
        self.starts += 1
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our interpreter's tools, fixed arguments)
                self.command(), cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(self._healthy, timeout=timeout, message=f"{self.kind} on {self.url}")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.kind} exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=1):  # noqa: S310 (loopback)
                return True
        except (urllib.error.URLError, OSError):
            return False

    def kill(self) -> None:
        """SIGKILL to the whole process group (gunicorn's master and workers): nothing finishes, nothing cleans up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def production_env(*, database_url: str, redis_url: str, work: Path) -> dict[str, str]:
    """The environment of deploy/local-stack.sh, pointed at the private servers."""
    cleared = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS"}
    env = {name: value for name, value in os.environ.items() if name not in cleared}
    (work / "prometheus").mkdir(exist_ok=True)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cafepos.settings",
            "APP_ENV": "production",
            "SECRET_KEY": "chaos-" + os.urandom(32).hex(),
            "JWT_SECRET": "chaos-" + os.urandom(32).hex(),
            "SECURE_SSL_REDIRECT": "false",
            "LOG_FORMAT": "json",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": "chaos",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ALLOWED_ORIGINS": "http://127.0.0.1",
            "STATIC_ROOT": str(work / "static"),
            "PROMETHEUS_MULTIPROC_DIR": str(work / "prometheus"),
            "RATE_LIMIT_MAX_REQUESTS": "1000000",
            "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000",  # every chaos login comes from 127.0.0.1
            "DATABASE_QUERY_TIMEOUT": "10000",
        }
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout
