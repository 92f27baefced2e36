"""/ready turns 503 once the process is told to stop, so load balancers drain it while requests finish."""

import asyncio
import logging
import os
import signal

import pytest

from cafepos.observability import shutdown


@pytest.fixture
def stopping_state():
    """Restores the process's SIGTERM handler and clears the shutdown flag after the test."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)
    shutdown._stopping.clear()


@pytest.mark.django_db
def test_ready_answers_503_while_shutting_down(client, stopping_state, caplog):
    assert client.get("/ready").status_code == 200

    shutdown.begin()
    request_log = logging.getLogger("django.request")  # it does not propagate: listen to it directly
    request_log.addHandler(caplog.handler)
    try:
        response = client.get("/ready")
    finally:
        request_log.removeHandler(caplog.handler)

    assert response.status_code == 503
    assert response.json() == {"status": "shutting_down"}
    assert not caplog.records  # expected on every rollout: not a server error in the logs or Sentry
    assert client.get("/health").status_code == 200  # alive: the process is finishing its work


@pytest.mark.django_db
def test_sigterm_marks_shutdown_and_still_runs_the_servers_own_handler(client, stopping_state):
    """gunicorn's workers and uvicorn install their SIGTERM handler first; ours chains to it."""
    received = []
    signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    shutdown.on_sigterm()

    os.kill(os.getpid(), signal.SIGTERM)

    assert received == [signal.SIGTERM]
    assert client.get("/ready").status_code == 503


@pytest.mark.django_db
def test_asgi_lifespan_shutdown_marks_the_uvicorn_process_not_ready(client, stopping_state):
    from cafepos.asgi import application

    sent = []
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(application({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))

    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert client.get("/ready").status_code == 503
