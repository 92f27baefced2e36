"""Reports read from the replica when one is configured; everything else stays on the primary."""

import pytest

from cafepos.tests.concurrency import child_process_env
from cafepos.tests.subprocesses import run_django
from orders.models import Order
from reports import routers
from reports.routers import ReportsReplicaRouter, replica_reads

CHILD = """
import datetime, django
django.setup()
from django.db import connections
from django.test.utils import CaptureQueriesContext
from accounts.models import Location, Organization
from reports import selectors
organization = Organization.objects.create(name="Replica test")
location = Location.objects.create(organization=organization, name="Replica cafe")
day = datetime.date(2026, 1, 5)
scope = selectors.report_scope(locations=[location], date_from=day, date_to=day)
with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as replica:
    selectors.sales_summary(scope)
    selectors.sales_by(scope, "day")
    Location.objects.filter(pk=location.pk).exists()
print(len(primary.captured_queries), len(replica.captured_queries))
location.delete(); organization.delete()
"""


def test_report_reads_go_to_the_replica_only_inside_replica_reads(monkeypatch):
    router = ReportsReplicaRouter()
    monkeypatch.setattr(routers, "replica_configured", lambda: True)

    with replica_reads():
        inside = (router.db_for_read(Order), router.db_for_write(Order), routers.reports_database())
    outside = (router.db_for_read(Order), routers.reports_database())

    assert inside == ("replica", None, "replica")
    assert outside == (None, "default")


def test_without_a_replica_everything_reads_the_primary():
    router = ReportsReplicaRouter()

    with replica_reads():
        assert (router.db_for_read(Order), routers.reports_database()) == (None, "default")


def test_the_replica_is_never_migrated():
    router = ReportsReplicaRouter()

    assert router.allow_migrate("replica", "orders") is False
    assert router.allow_migrate("default", "orders") is True


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_database_replica_url_the_report_queries_run_on_the_replica_alias():
    url = child_process_env()["DATABASE_URL"]  # this run's test database, as primary and as replica

    result = run_django("-c", CHILD, env={"DATABASE_URL": url, "DATABASE_REPLICA_URL": url})

    assert result.returncode == 0, result.stderr
    primary, replica = map(int, result.stdout.split()[-2:])
    assert replica >= 5  # every report query
    assert primary == 1  # only the plain read outside the reports
