"""schemathesis against the live server: generated requests never get a 5xx, and every response matches the
documented status, type and schema. Every phase runs: examples, coverage and fuzzing per operation as an owner,
then the stateful phase as each role, which follows the schema's links (create an order, add to it, pay it,
refund the payment; open a shift, move cash, close it) with the real ids and versions the server answered."""

import uuid
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as run_with
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
BOUNDED = {"deadline": None, "derandomize": True, "suppress_health_check": list(HealthCheck)}


# The schema as the server publishes it (generating it reads no database).
schema = schemathesis.openapi.from_dict(
    APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
)
# Call sequences follow the schema's own links with valid data (invalid data is the other phases' job); the
# links schemathesis would infer add guesses such as a line id sent as `X-Staff-Id`.
schema.config.phases.stateful.generation.update(modes=["positive"])
schema.config.phases.stateful.inference.algorithms = []


def headers_of(role, settings) -> dict:
    """A cafe with a menu, a table, an order and an open shift, and the Authorization header of one of its staff."""
    settings.RATE_LIMIT_MAX_REQUESTS = 1_000_000
    location = LocationFactory()
    member = staff(location, role)
    item = MenuItemFactory(location=location, price=Decimal("3.50"))
    TableFactory(location=location)
    OrderFactory(location=location, lines=[line(item)])
    ShiftFactory(terminal=TerminalFactory(location=location))
    return {"Authorization": api_as(member)._credentials["HTTP_AUTHORIZATION"]}


@pytest.fixture
def owner_headers(transactional_db, settings):
    return headers_of(Role.OWNER, settings)


@schema.parametrize()
@run_with(max_examples=10, **BOUNDED)
def test_generated_requests_get_no_5xx_and_documented_responses(case, live_server, owner_headers):
    case.call_and_validate(base_url=live_server.url, headers=owner_headers, checks=CHECKS)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("role", list(Role))
def test_linked_call_sequences_get_no_5xx_and_documented_responses(role, live_server, transactional_db, settings):
    headers = headers_of(role, settings)

    class Scenarios(schema.as_state_machine()):
        def before_call(self, case):
            if "Idempotency-Key" in (case.headers or {}):  # a client's fresh key per operation
                case.headers["Idempotency-Key"] = uuid.uuid4().hex

        def get_call_kwargs(self, case):
            return {"base_url": live_server.url, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs=kwargs)

    Scenarios.run(settings=run_with(max_examples=25, stateful_step_count=8, **BOUNDED))
