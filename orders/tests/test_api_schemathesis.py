"""schemathesis against the live server: generated requests never get a 5xx, and every response matches the
documented status, type and schema. Every phase runs: examples, coverage and fuzzing per operation as an owner,
then the stateful phase as each role, which follows the schema's links (order a menu item, add to the order, pay
it, refund the payment; open a shift, move cash, close it) with the real ids and versions the server answered."""

from decimal import Decimal

import pytest
from hypothesis import settings as run_with

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from cafepos.tests.api_scenarios import BOUNDED, CHECKS, published_schema, run_scenarios
from menu.tests.factories import MenuItemFactory
from orders.tests.factories import OrderFactory, ShiftFactory, line
from tables.tests.factories import TableFactory

schema = published_schema()


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

    run_scenarios(schema, base_url=live_server.url, headers=headers, examples=25, steps=8)
