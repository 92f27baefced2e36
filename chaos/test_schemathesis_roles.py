"""schemathesis against the production server (gunicorn, production settings) as each staff role: generated
requests for every operation of the live schema never get a 5xx, and every answer matches the documented status,
content type and schema. The main suite runs the same checks as an owner on the test server
(orders/tests/test_api_schemathesis.py); here every role, with fewer examples each, on the demo cafe.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient

from .conftest import login
from .services import Server

pytestmark = pytest.mark.chaos

ROLES = {
    "OWNER": ("owner@example.com", "cafepos-owner"),
    "MANAGER": ("manager@example.com", "cafepos-manager"),
    "CASHIER": ("cashier@example.com", "cafepos-cashier"),
    "KITCHEN": ("kitchen@example.com", "cafepos-kitchen"),
}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


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
schema = schemathesis.openapi.from_dict(
    APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
)


@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_role_gets_no_5xx_and_only_documented_answers(case, web, callers):
    generated = dict(case.query or {})
    for headers, query in callers.values():
        case.query = {**query, **generated} if case.query is not None or query else case.query
        case.call_and_validate(base_url=web.url, headers=headers, checks=CHECKS)
