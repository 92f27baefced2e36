"""schemathesis against the live server, authenticated as an owner: generated requests for every operation
(bounded examples) never get a 5xx, and every response matches the documented status, type and schema."""

from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from menu.tests.factories import MenuItemFactory
from orders.tests.factories import OrderFactory, ShiftFactory, line
from tables.tests.factories import TableFactory

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


# The schema as the server publishes it (generating it reads no database).
schema = schemathesis.openapi.from_dict(
    APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
)


@pytest.fixture
def owner_headers(transactional_db, settings):
    settings.RATE_LIMIT_MAX_REQUESTS = 1_000_000
    location = LocationFactory()
    owner = staff(location, Role.OWNER)
    item = MenuItemFactory(location=location, price=Decimal("3.50"))
    TableFactory(location=location)
    OrderFactory(location=location, lines=[line(item)])
    ShiftFactory(terminal=TerminalFactory(location=location))
    client = api_as(owner)
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_no_5xx_and_documented_responses(case, live_server, owner_headers):
    case.call_and_validate(base_url=live_server.url, headers=owner_headers, checks=CHECKS)
