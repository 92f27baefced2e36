"""Integers past Python's int() limit (4,300 digits) in ids are a 4xx, never a 500.

Sockets: realtime/tests/test_sockets.py (closed with 4400); report exports: reports/tests/test_dates.py.
"""

import pytest
from rest_framework.test import APIClient

from accounts.models import TerminalSignIn
from accounts.tests.factories import paired_terminal

HUGE = "9" * 5000  # more digits than int() accepts
HOSTILE_IDS = [HUGE, f"-{HUGE}", "1" + "0" * 19, "1e3", "²", "NaN"]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_hostile_staff_id_on_the_pin_login_is_a_400(client, pos, cashier, value):
    response = client.post("/terminal/login/", {"staff": value, "pin": "2222"})

    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_hostile_manager_id_on_the_unlock_is_a_4xx(client, pos, cashier, value):
    client.post("/terminal/login/", {"staff": cashier.pk, "pin": "2222"})

    response = client.post("/terminal/unlock/", {"manager": value, "pin": "1111"})

    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_hostile_x_staff_id_with_a_terminal_credential_is_a_401(location, cashier, value):
    terminal, secret = paired_terminal(location=location)
    TerminalSignIn.objects.create(terminal=terminal, user=cashier)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Terminal {secret}", HTTP_X_STAFF_ID=value)

    response = client.get("/api/v1/me/")

    assert response.status_code in (401, 403)
