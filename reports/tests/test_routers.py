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
def counted(*reads):
    primary, replica = CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections["replica"])
    with primary, replica:
        for read in reads:
            read()
    return len(primary.captured_queries), len(replica.captured_queries)
rolled_up = counted(lambda: selectors.sales_summary(scope), lambda: selectors.sales_by(scope, "day"))
live = counted(
    lambda: selectors.kitchen_speed(scope),
    lambda: selectors.z_reports(scope),
    lambda: Location.objects.filter(pk=location.pk).exists(),
)
print(*rolled_up, *live)
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
def test_with_database_replica_url_live_reports_read_the_replica_and_rollups_the_primary():
    url = child_process_env()["DATABASE_URL"]  # this run's test database, as primary and as replica

    result = run_django("-c", CHILD, env={"DATABASE_URL": url, "DATABASE_REPLICA_URL": url})

    assert result.returncode == 0, result.stderr
    rolled_primary, rolled_replica, live_primary, live_replica = map(int, result.stdout.split()[-4:])
    assert (rolled_primary >= 5, rolled_replica) == (True, 0)  # built and read where they are written
    assert live_replica >= 2  # kitchen speed and Z reports
    assert live_primary == 1  # only the plain read outside the reports
