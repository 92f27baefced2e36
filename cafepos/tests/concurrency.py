"""Running code in real threads against the real database (PostgreSQL: one connection per thread)."""

import os
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection


def run_concurrently(count: int, target: Callable[[int], Any], *, timeout: float = 60) -> list[Any]:
    """Call `target(i)` in `count` threads released together by a barrier; each result or raised exception.

    Use with `@pytest.mark.django_db(transaction=True)`: the threads see only committed rows. Every thread
    closes its own connection (returning it to the pool) before it ends.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target(index)
        except BaseException as error:  # reported to the test, which asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running (deadlock?)"
    return results


def child_process_env() -> dict[str, str]:
    """The environment for a child process (`python -c ...`) that must use THIS test run's database.

    pytest-django renames the database when it creates it (`cafepos` -> `test_cafepos`, plus `_gw0` under
    xdist) and records the name only in `connection.settings_dict["NAME"]`; the settings build DATABASES from
    DATABASE_URL, so the child gets the parent's DATABASE_URL with its path replaced by that name. The same
    settings module, user, host, password and options follow. PostgreSQL only: SQLite test databases live in
    memory and cannot be shared with another process.
    """
    url = urlsplit(os.environ["DATABASE_URL"])
    test_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return {**os.environ, "DATABASE_URL": test_url, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
