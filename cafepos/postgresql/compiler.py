"""Django's PostgreSQL compilers, except that a bulk insert of fewer than UNNEST_FROM_ROWS rows uses VALUES.

Django 5.2 writes every multi-row insert as `SELECT * FROM UNNEST(%s::type[], ...)`, which spares the server
planning a long VALUES list but makes psycopg dump each column as an array, element by element, in Python.
For the few rows an order writes at once (tickets, lines, modifiers, status changes, events) that was about
2 ms of worker CPU per order create, an eighth of it (measured with py-spy; bench/RESULTS.md).

It overrides a private hook, `SQLInsertCompiler.assemble_as_sql(fields, value_rows)` of Django 5.2, pinned by
`cafepos/tests/test_postgresql_backend.py`.
"""

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)
from django.db.backends.postgresql.compiler import SQLInsertCompiler as UnnestInsertCompiler
from django.db.models.sql import compiler as generic

__all__ = ["SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler", "SQLUpdateCompiler"]

UNNEST_FROM_ROWS = 100


class SQLInsertCompiler(UnnestInsertCompiler):
    def assemble_as_sql(self, fields, value_rows):
        if len(value_rows) < UNNEST_FROM_ROWS:
            return generic.SQLInsertCompiler.assemble_as_sql(self, fields, value_rows)
        return super().assemble_as_sql(fields, value_rows)
