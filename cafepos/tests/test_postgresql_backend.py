"""The project's PostgreSQL backend (cafepos/postgresql): a few rows are inserted with VALUES, many with UNNEST,
and both round-trip exactly; the private compiler hook it overrides is still Django's."""

import inspect

import pytest
from django.db import connection
from django.db.backends.postgresql import compiler as django_postgresql
from django.db.models.sql import compiler as django_generic
from django.test.utils import CaptureQueriesContext

from cafepos.models import Event
from cafepos.postgresql.compiler import UNNEST_FROM_ROWS


def test_the_overridden_hook_is_still_djangos_insert_assembly_in_both_compilers():
    # an upgrade that renames or reshapes it would silently turn the override off (every insert UNNEST again)
    for compiler in (django_postgresql.SQLInsertCompiler, django_generic.SQLInsertCompiler):
        assert list(inspect.signature(compiler.assemble_as_sql).parameters) == ["self", "fields", "value_rows"]
    assert "assemble_as_sql" in vars(django_postgresql.SQLInsertCompiler)  # the UNNEST form it bypasses


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(("rows", "form"), [(3, "VALUES"), (UNNEST_FROM_ROWS, "UNNEST")])
def test_bulk_inserts_write_every_row_exactly(rows, form):
    events = [Event(location_id=9, seq=seq, type="test.bulk", data={"n": seq, "text": "ä'\""}) for seq in range(rows)]

    with CaptureQueriesContext(connection) as queries:
        Event.objects.bulk_create(events)

    [insert] = queries.captured_queries
    assert form in insert["sql"]
    stored = Event.objects.filter(location_id=9).order_by("seq")
    assert [(event.seq, event.data) for event in stored] == [(seq, {"n": seq, "text": "ä'\""}) for seq in range(rows)]
