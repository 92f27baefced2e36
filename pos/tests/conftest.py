"""Fixtures for the POS browser tests: a live uvicorn, a small cafe and a checked Chromium page."""

import pytest


@pytest.fixture(scope="module")
def _pos_uvicorn(django_db_setup, django_db_blocker):
    from realtime.tests.live_asgi import serving_test_database

    with serving_test_database(django_db_blocker.unblock) as server:
        yield server


@pytest.fixture
def asgi_server(_pos_uvicorn, transactional_db):
    """A live uvicorn (HTTP and WebSockets) on this run's test database, one per module; a test that stopped
    it (to go offline for real) gets it started again by the next one."""
    if _pos_uvicorn.process.poll() is not None:
        _pos_uvicorn.start()
    return _pos_uvicorn


@pytest.fixture
def pos_cafe(transactional_db):
    from .pos import make_cafe

    return make_cafe(country="IE")  # Irish English: "€2.00", as the browser tests read amounts


@pytest.fixture
def pos(browser_page):
    """A Chromium page that fails its test on any script error or Content Security Policy violation."""
    from .pos_browser import WAIT_MS

    page, problems = browser_page, []
    page.set_default_timeout(WAIT_MS)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and ("Content Security Policy" in message.text or "Uncaught" in message.text)
            else None
        ),
    )
    yield page
    assert problems == []
