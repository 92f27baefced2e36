"""Who may call what: every endpoint × every kind of caller, through real requests.

The expected statuses are written out by hand below, not derived from the views' access maps, so a change
to a map that is not also made here fails. Allowed callers get the endpoint's success status; callers
without the role or scope get 403, anonymous callers 401. The auth endpoints are public and not listed.
"""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from orders.tests.factories import ShiftFactory
from testing.role_matrix import CALLERS, EXPECTED, REFUSED_CODES, World, client_for, request_for


def test_the_table_covers_every_endpoint_of_the_schema():
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    public = {"/api/v1/auth/token/", "/api/v1/auth/pin/", "/api/v1/auth/token/refresh/", "/api/v1/auth/logout/"}
    operations = sum(len(methods) for path, methods in schema["paths"].items() if path not in public)

    assert operations == len(EXPECTED) - 1  # every operation but the schema itself


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", EXPECTED)
@pytest.mark.parametrize("caller", CALLERS)
def test_role_table(endpoint, caller):
    world = World()
    method, path, body = request_for(endpoint, world)
    client = client_for(caller, world)

    response = getattr(client, method)(path, body, format="json", HTTP_IDEMPOTENCY_KEY=f"{endpoint}-{caller}")

    expected = EXPECTED[endpoint][CALLERS.index(caller)]
    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        allowed_codes = ["not_authenticated", "permission_denied"]
        if caller == "CASHIER" and endpoint in REFUSED_CODES:
            allowed_codes = [REFUSED_CODES[endpoint]]
        assert response.json()["error"]["code"] in allowed_codes


# Drawers: cash movements and closing belong to the shift's terminal, its opener and managers -------------

# who calls → (cash movement, close), on a shift a manager opened on terminal A
DRAWER_CALLERS = {
    "opener, password token": (201, 200),
    "cashier, PIN on terminal A": (201, 200),
    "manager, password token": (201, 200),
    "owner, PIN on terminal B": (201, 200),
    "cashier, password token": (403, 403),
    "cashier, PIN on terminal B": (403, 403),
}


def drawer_client(caller: str, location, opener, own_terminal) -> APIClient:
    if caller.startswith("opener"):
        return api_as(opener)
    role = {"cashier": Role.CASHIER, "manager": Role.MANAGER, "owner": Role.OWNER}[caller.split(",")[0]]
    terminal = own_terminal if "terminal A" in caller else TerminalFactory(location=location)
    return api_as(staff(location, role), terminal=terminal if "PIN" in caller else None)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", DRAWER_CALLERS)
def test_drawer_table(caller):
    location = LocationFactory(currency="EUR")
    opener = staff(location, Role.MANAGER)
    terminal = TerminalFactory(location=location)
    shift = ShiftFactory(terminal=terminal, staff=opener)
    client = drawer_client(caller, location, opener, terminal)

    moved = client.post(
        f"/api/v1/shifts/{shift.pk}/cash-movements/",
        {"amount": -500000, "reason": "Bank"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="move",
    )
    closed = client.post(
        f"/api/v1/shifts/{shift.pk}/close/", {"counted_cash": 0}, format="json", HTTP_IDEMPOTENCY_KEY="close"
    )

    assert (moved.status_code, closed.status_code) == DRAWER_CALLERS[caller], (moved.content, closed.content)
    if moved.status_code == 403:
        assert moved.json()["error"]["code"] == closed.json()["error"]["code"] == "shift.not_yours"
        shift.refresh_from_db()
        assert shift.is_open and not shift.cash_movements.exists()
