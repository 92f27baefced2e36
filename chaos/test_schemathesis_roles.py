"""schemathesis against the production server (gunicorn, production settings) as each staff role: generated
requests for every operation of the live schema, and call sequences that follow its links, never get a 5xx, and
every answer matches the documented status, content type and schema. The main suite runs the same checks on the
test server (orders/tests/test_api_schemathesis.py); here every role, with fewer examples each, on the demo cafe.
"""

import pytest
from hypothesis import settings

from cafepos.tests.api_scenarios import BOUNDED, CHECKS, published_schema, run_scenarios

from .conftest import login
from .services import Server

pytestmark = pytest.mark.chaos

ROLES = {
    "OWNER": ("owner@example.com", "cafepos-owner"),
    "MANAGER": ("manager@example.com", "cafepos-manager"),
    "CASHIER": ("cashier@example.com", "cafepos-cashier"),
    "KITCHEN": ("kitchen@example.com", "cafepos-kitchen"),
}


@pytest.fixture(scope="module")
def web(cluster):
    server: Server = cluster.server("gunicorn", DATABASE_POOL_MAX="0")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def callers(web, cluster):
    """Per role, (Authorization header, extra query): the owner of two cafes names the first one."""
    return {
        role: (
            {"Authorization": f"Bearer {login(web.url, *credentials)}"},
            {"location": str(cluster.location_id)} if role == "OWNER" else {},
        )
        for role, credentials in ROLES.items()
    }


# The schema as the server publishes it, generated in this process (it reads no database): the production
# server's is the same code.
schema = published_schema()


@schema.parametrize()
@settings(max_examples=5, **BOUNDED)
def test_every_role_gets_no_5xx_and_only_documented_answers(case, web, callers):
    generated = dict(case.query or {})
    for headers, query in callers.values():
        case.query = {**query, **generated} if case.query is not None or query else case.query
        case.call_and_validate(base_url=web.url, headers=headers, checks=CHECKS)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_role_s_linked_call_sequences_get_no_5xx_and_only_documented_answers(role, web, callers):
    headers, query = callers[role]

    run_scenarios(schema, base_url=web.url, headers=headers, query=query, examples=15, steps=8)
