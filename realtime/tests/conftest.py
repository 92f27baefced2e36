"""Socket tests' fixtures: a cafe (testing/cafes.py) in a database the sockets' threads can see, and a live
uvicorn for the kitchen display's browser tests."""

import pytest

from testing.cafes import Cafe, make_cafe


@pytest.fixture
def cafe(transactional_db) -> Cafe:
    return make_cafe()


@pytest.fixture
def other_cafe(transactional_db) -> Cafe:
    return make_cafe()


@pytest.fixture
def server(transactional_db):
    """A live uvicorn on this run's test database, one per test (a test may stop and start it)."""
    from cafepos.tests.concurrency import child_process_env

    from .live_asgi import AsgiServer

    # The server keeps Django's guard against the sync ORM in async code (only this process runs Playwright).
    env = {key: value for key, value in child_process_env().items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    live = AsgiServer(env=env)
    live.start()
    yield live
    live.stop()
