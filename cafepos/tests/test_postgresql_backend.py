"""The project's PostgreSQL backend (cafepos/postgresql): a few rows are inserted with VALUES, many with UNNEST,
and both round-trip exactly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cafepos.models import Event
from cafepos.postgresql.compiler import UNNEST_FROM_ROWS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize(("rows", "form"), [(3, "VALUES"), (UNNEST_FROM_ROWS, "UNNEST")])
def test_bulk_inserts_write_every_row_exactly(rows, form):
    events = [Event(location_id=9, seq=seq, type="test.bulk", data={"n": seq, "text": "ä'\""}) for seq in range(rows)]

    with CaptureQueriesContext(connection) as queries:
        Event.objects.bulk_create(events)

    [insert] = queries.captured_queries
    assert form in insert["sql"]
    stored = Event.objects.filter(location_id=9).order_by("seq")
    assert [(event.seq, event.data) for event in stored] == [(seq, {"n": seq, "text": "ä'\""}) for seq in range(rows)]
