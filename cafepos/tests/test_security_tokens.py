"""Forged and stale credentials are refused, over HTTP and on the sockets: expired, tampered, wrongly signed and
`alg: none` JWTs, a refresh token used as an access token, and PIN guessing (locked out after
PIN_MAX_FAILURES, the right PIN refused too while locked). Rotated refresh tokens: accounts/tests/test_api_auth.py.
"""

import base64
import json
import time

import jwt
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from rest_framework.test import APIClient

from accounts.api.tokens import token_pair
from accounts.models import Role
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from cafepos.tests.sockets import conversation

TIMEOUT = 5


def _segment(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def forged(kind: str, user, victim) -> str:
    """A token for `user` spoiled one way: each is what an attacker could make without the signing key."""
    good = token_pair(user=user)["access"]
    claims = jwt.decode(good, options={"verify_signature": False})
    header, _, signature = good.split(".")
    if kind == "expired":
        claims.update(iat=int(time.time()) - 3600, exp=int(time.time()) - 60)
        return jwt.encode(claims, settings.JWT_SECRET, algorithm="HS256")
    if kind == "tampered":  # someone else's id under the original signature
        return f"{header}.{_segment({**claims, 'user_id': str(victim.pk)})}.{signature}"
    if kind == "wrong key":
        return jwt.encode({**claims, "user_id": str(victim.pk)}, "x" * 64, algorithm="HS256")
    if kind == "alg none":
        return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment({**claims, 'user_id': str(victim.pk)})}."
    if kind == "refresh as access":
        return token_pair(user=user)["refresh"]
    raise ValueError(kind)


KINDS = ["expired", "tampered", "wrong key", "alg none", "refresh as access"]


@pytest.fixture
def people(transactional_db):
    location = LocationFactory()
    return staff(location, Role.CASHIER), staff(location, Role.OWNER)


@pytest.mark.parametrize("kind", KINDS)
def test_a_forged_or_stale_token_is_refused_by_the_api(people, kind):
    cashier, owner = people
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {forged(kind, cashier, owner)}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS)
async def test_a_forged_or_stale_token_is_refused_by_the_sockets(people, kind):
    cashier, owner = people
    token = await sync_to_async(forged)(kind, cashier, owner)
    async with conversation("/ws/v1/orders/") as client:
        accepted, _ = await client.connect(timeout=TIMEOUT)
        assert accepted

        await client.send_json_to({"type": "auth", "token": token})

        assert (await client.receive_json_from(TIMEOUT))["code"] == "auth.invalid"
        assert (await client.receive_output(TIMEOUT)) == {"type": "websocket.close", "code": 4001}


def test_guessing_pins_is_locked_out_and_then_even_the_right_pin_is_refused(db, settings):
    location = LocationFactory()
    cashier = staff(location, Role.CASHIER, pin="7319")
    _, secret = paired_terminal(location=location)
    client = APIClient()

    def attempt(pin):
        return client.post(
            "/api/v1/auth/pin/", {"terminal_secret": secret, "staff_id": cashier.pk, "pin": pin}, format="json"
        )

    statuses = [attempt(f"{guess:04d}").status_code for guess in range(settings.PIN_MAX_FAILURES + 3)]
    right = attempt("7319")

    assert statuses[: settings.PIN_MAX_FAILURES - 1] == [401] * (settings.PIN_MAX_FAILURES - 1)
    assert set(statuses[settings.PIN_MAX_FAILURES - 1 :]) == {429}
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "pin.locked"
    assert int(right["Retry-After"]) > 0
