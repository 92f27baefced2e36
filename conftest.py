"""Shared fixtures and the skip rule for tests that need PostgreSQL or Redis."""

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
