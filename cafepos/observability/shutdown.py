"""Shutdown state for /ready: once a process is told to stop, it reports not ready so that load
balancers stop sending it new work while in-flight requests finish.

Set by SIGTERM (gunicorn workers install `on_sigterm` in `post_worker_init`; uvicorn through the ASGI
lifespan startup), by gunicorn's `worker_int`, and by the ASGI lifespan shutdown message.
"""

import os
import signal
import threading

from . import metrics

_stopping = threading.Event()


def begin() -> None:
    _stopping.set()


def in_progress() -> bool:
    return _stopping.is_set()


def on_sigterm() -> None:
    """Mark shutdown on SIGTERM, then run the handler that was there before (the server's own)."""
    previous = signal.getsignal(signal.SIGTERM)

    def handler(signum, frame):
        begin()
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, handler)


async def lifespan(scope, receive, send) -> None:
    """ASGI lifespan for uvicorn: hook SIGTERM at startup; at shutdown mark it and drop this process's gauges."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            on_sigterm()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            begin()
            metrics.process_exited(os.getpid())
            await send({"type": "lifespan.shutdown.complete"})
            return
