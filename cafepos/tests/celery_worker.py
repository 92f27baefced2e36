"""A real Celery worker for tests, in a subprocess against this run's test database and its own Redis prefix.

Use the `celery_worker` fixture (import `celery_worker_fixture` and `celery_worker_session_fixture` into
the test module) with
`@pytest.mark.django_db(transaction=True)`: the worker only sees committed rows. Emails the worker sends are
written as files to `worker.mail_dir`. The queue prefix is the test settings' (per pytest-xdist worker), and
only keys under it are ever deleted: other engineers share the Redis server.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from cafepos.tests.concurrency import child_process_env

READY_TIMEOUT = 60


class CeleryWorker:
    """Every queue in one process (`--pool=solo`) by default; or the given queues with `concurrency` processes, as
    deployed (one worker per queue)."""

    def __init__(self, env: dict[str, str], log_dir: Path, *, queues: tuple[str, ...] = (), concurrency: int = 0):
        self.env = env
        self.log_dir = log_dir
        self.mail_dir = Path(env.get("EMAIL_URL", "").removeprefix("filemail:///"))
        self.queues = queues or settings.WORKER_QUEUES
        self.pool = [f"--concurrency={concurrency}"] if concurrency else ["--pool=solo"]
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        self.starts += 1
        log = self.log_path

        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cafepos",
            "worker",
            *self.pool,
            "-Q",
            ",".join(self.queues),
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            f"--hostname=h8test-{os.getpid()}-{'-'.join(self.queues)}-{self.starts}@%h",
        ]
        with open(log, "w") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
                command, cwd=settings.BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if "ready." in log.read_text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, the task in hand is never acknowledged."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"worker-{'-'.join(self.queues)}-{self.starts}.log"

    def log(self) -> str:
        return self.log_path.read_text()


def broker_prefix() -> str:
    return settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]


def broker_flush() -> int:
    """Delete every Redis key of this test run's Celery prefix (queued and unacknowledged tasks): nothing else."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match=f"{broker_prefix()}*", count=1000))
    if keys:
        client.delete(*keys)
    return len(keys)


_worker: CeleryWorker | None = None  # one per test process, whichever test modules import the fixtures


def _shared_worker() -> CeleryWorker:
    global _worker
    if _worker is None:
        env = child_process_env()
        work = Path(tempfile.mkdtemp(prefix="cafepos-h8-worker-"))
        (work / "mail").mkdir()
        env.update(
            {
                "EMAIL_URL": f"filemail:///{work / 'mail'}",
                "DELIVERY_RETRY_BASE": "0.5",
                "WEBHOOK_TIMEOUT": "8",
                "MEDIA_ROOT": str(work / "media"),
                "DATABASE_POOL_MIN": "1",
                "DATABASE_POOL_MAX": "2",
            }
        )
        broker_flush()
        _worker = CeleryWorker(env, work)
    return _worker


@pytest.fixture(scope="session", name="_celery_worker_session")
def celery_worker_session_fixture(django_db_setup, django_db_blocker):
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql") or not settings.REDIS_URL:
        pytest.skip("a real Celery worker needs PostgreSQL and Redis")
    with django_db_blocker.unblock():
        worker = _shared_worker()
    yield worker
    worker.stop()  # at the end of the session (a second module's teardown finds it stopped)
    broker_flush()


@pytest.fixture(name="celery_worker")
def celery_worker_fixture(_celery_worker_session):
    """The session's worker, started again if a test killed it."""
    if not _celery_worker_session.running:
        _celery_worker_session.start()
    return _celery_worker_session
