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
    from .live_asgi import serving_test_database

    with serving_test_database() as live:
        yield live
