"""Reports read from the `replica` database when DATABASE_REPLICA_URL configures one.

Only reads made inside `replica_reads()` go there (the report selectors wrap themselves in it), so the rest of
the app keeps reading its own writes from the primary. Writes and migrations always use `default`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads(enabled: bool = True) -> Iterator[None]:
    token = _reading_reports.set(enabled)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def primary_reads():
    """Back to the primary, even inside `replica_reads()` (reads that must see the latest writes)."""
    return replica_reads(enabled=False)


def reports_database() -> str:
    """The alias a report query should run on right now."""
    return REPLICA if _reading_reports.get() and replica_configured() else "default"


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if _reading_reports.get() and replica_configured() else None

    def db_for_write(self, model, **hints) -> str | None:
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db != REPLICA
