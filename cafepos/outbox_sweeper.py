"""The outbox sweeper that runs beside a server, and the kick the after-commit relay gives when it meets a backlog.

Every way of running CafePOS has a sweeper: Celery beat runs `cafepos.tasks.relay_events` every few seconds where
there is a broker; a process started with uvicorn's lifespan (`make serve`, or any deployment that sets
OUTBOX_SWEEPER_INPROCESS) runs one in a thread. A kick wakes this process's thread, or else queues the Celery task
(at most once a second per process); with an eager Celery (no broker) and no thread it does nothing, since an
eager task would drain inside the request that kicked it.
"""

import asyncio
import logging
import threading
import time

from django.conf import settings
from django.db import connection

from .outbox import events_drain
from .tasks import relay_events

logger = logging.getLogger(__name__)

KICK_EVERY = 1.0  # seconds between two Celery kicks of one process


class _Sweeper(threading.Thread):
    def __init__(self, interval: float):
        super().__init__(name="outbox-sweeper", daemon=True)
        self.interval, self.woken, self.stopping = interval, threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    events_drain()
                except Exception:
                    logger.exception("the outbox sweeper failed; it tries again in %s s", self.interval)
                finally:
                    connection.close()  # a thread's own: never left to age out, and a restarted database is met anew
                self.woken.wait(self.interval)
                self.woken.clear()
        finally:
            connection.close()


_sweeper: _Sweeper | None = None
_last_task_kick = float("-inf")


def start() -> None:
    """Start this process's sweeper thread (it sweeps at once, then every OUTBOX_SWEEP_INTERVAL and when kicked)."""
    global _sweeper
    if _sweeper is None or not _sweeper.is_alive():
        _sweeper = _Sweeper(settings.OUTBOX_SWEEP_INTERVAL)
        _sweeper.start()


def stop(timeout: float = 10.0) -> None:
    """Stop this process's sweeper thread, letting the batch it is relaying finish."""
    global _sweeper
    sweeper, _sweeper = _sweeper, None
    if sweeper is not None:
        sweeper.stopping.set()
        sweeper.woken.set()
        sweeper.join(timeout)


def kick() -> None:
    """Have the backlog drained in the background, now."""
    global _last_task_kick
    if _sweeper is not None and _sweeper.is_alive():
        _sweeper.woken.set()
        return
    if settings.CELERY_TASK_ALWAYS_EAGER or time.monotonic() - _last_task_kick < KICK_EVERY:
        return
    _last_task_kick = time.monotonic()
    try:
        relay_events.apply_async()
    except Exception:  # the broker is down: beat's next run (or this process's next kick) drains it
        logger.exception("could not queue the outbox sweeper")


def with_sweeper(lifespan):
    """Wrap an ASGI lifespan app: the sweeper thread starts with the server (when OUTBOX_SWEEPER_INPROCESS) and
    stops at its shutdown."""

    async def app(scope, receive, send):
        async def receive_and_follow():
            message = await receive()
            if message["type"] == "lifespan.startup" and settings.OUTBOX_SWEEPER_INPROCESS:
                start()
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(stop)
            return message

        await lifespan(scope, receive_and_follow, send)

    return app
