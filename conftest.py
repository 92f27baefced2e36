"""Shared fixtures and the skip rule for tests that need PostgreSQL or Redis."""

import os

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (bash .ci/run does)")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL (bash .ci/run does)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts with an empty cache (PIN lockouts, cached menus), on locmem and on Redis alike."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        # Redis: only this run's keys (its prefix); clear() would FLUSHDB under parallel workers and other runs.
        cache.delete_pattern("*")
    else:
        cache.clear()
    yield


# Browser tests: Playwright drives Debian's Chromium (scripts/ensure-chromium.sh installs it); no browser download.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser_page(monkeypatch):
    """A Chromium page for one test, skipped with the reason when Chromium is missing.

    Playwright's sync API runs an event loop in the main thread while it is open, so Django is told the ORM may
    run beside it. The loop ends with the test, before pytest-django flushes the database and before any asyncio
    test runs in this worker (a session-wide browser, as pytest-playwright keeps, would break those).
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"needs Chromium at {CHROMIUM}: run scripts/ensure-chromium.sh as root, or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()
