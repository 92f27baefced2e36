"""Rate limits through real requests: headers on every API response, 429 past the limit, one counter per
caller, shared by every process through Redis, and failing open when Redis is down."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, staff
from cafepos.api import throttling

pytestmark = pytest.mark.django_db

DAY_MS = 24 * 60 * 60 * 1000  # one long window, so a test never straddles two


@pytest.fixture
def limit(settings):
    settings.RATE_LIMIT_MAX_REQUESTS = 3
    settings.RATE_LIMIT_WINDOW = DAY_MS
    return 3


def usage(response) -> tuple[int, int, int]:
    return (
        int(response["X-RateLimit-Limit"]),
        int(response["X-RateLimit-Remaining"]),
        int(response["X-RateLimit-Reset"]),
    )


def test_every_api_response_carries_the_limit_headers(limit):
    cashier = staff(LocationFactory(), Role.CASHIER)
    responses = [
        api_as(cashier).get("/api/v1/me/"),  # 200
        APIClient().get("/api/v1/me/"),  # 401
        APIClient().get("/api/v1/no-such-endpoint/"),  # 404 outside DRF
    ]

    assert [response.status_code for response in responses] == [200, 401, 404]
    for response in responses:
        limit_header, remaining, reset = usage(response)
        assert limit_header == limit
        assert 0 <= remaining < limit
        assert 0 < reset <= DAY_MS // 1000


def test_pages_outside_the_api_carry_no_limit_headers(client, limit):
    assert "X-RateLimit-Limit" not in client.get("/health")


def test_past_the_limit_a_caller_gets_429_with_retry_after(limit):
    client = api_as(staff(LocationFactory(), Role.CASHIER))
    remaining = [usage(client.get("/api/v1/me/"))[1] for _ in range(limit)]

    refused = client.get("/api/v1/me/")

    assert remaining == [2, 1, 0]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= DAY_MS // 1000
    assert usage(refused)[1] == 0


def test_each_caller_has_its_own_counter(limit):
    location = LocationFactory()
    first, second = api_as(staff(location, Role.CASHIER)), api_as(staff(location, Role.CASHIER))
    for _ in range(limit):
        first.get("/api/v1/me/")

    assert first.get("/api/v1/me/").status_code == 429
    assert second.get("/api/v1/me/").status_code == 200
    assert APIClient().get("/api/v1/me/").status_code == 401  # anonymous: counted by address


def test_failed_authentication_counts_against_the_client_address(limit):
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Api-Key cpk_guess_0")
    statuses = [guesser.get("/api/v1/me/").status_code for _ in range(limit + 1)]

    assert statuses == [401] * limit + [429]


def test_a_valid_token_of_a_deactivated_user_counts_against_that_user(limit):
    cashier = staff(LocationFactory(), Role.CASHIER)
    client = api_as(cashier)
    cashier.is_active = False
    cashier.save(update_fields=["is_active"])

    statuses = [client.get("/api/v1/me/").status_code for _ in range(limit + 1)]

    assert statuses == [401] * limit + [429]
    assert APIClient().get("/api/v1/me/").status_code == 401  # the address's own counter is untouched


def test_failed_logins_count_against_the_client_address(limit):
    body = {"email": "nobody@example.com", "password": "guess"}
    statuses = [APIClient().post("/api/v1/auth/token/", body, format="json").status_code for _ in range(limit + 1)]

    assert statuses == [401] * limit + [429]


def test_a_spoofed_forwarded_for_header_does_not_reset_the_counter(limit):
    statuses = [
        APIClient().get("/api/v1/me/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(limit + 1)
    ]

    assert statuses[-1] == 429


@pytest.mark.redis
def test_processes_share_one_counter_in_redis(limit):
    anonymous = APIClient()
    anonymous.get("/api/v1/nothing/")
    child = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "for _ in range(2): print(Client().get('/api/v1/nothing/')['X-RateLimit-Remaining'])\n"
    )
    env = {
        **os.environ,  # the same settings module, Redis and key prefix as this test run
        "RATE_LIMIT_MAX_REQUESTS": str(limit),
        "RATE_LIMIT_WINDOW": str(DAY_MS),
    }

    other_process = subprocess.run(  # noqa: S603
        [sys.executable, "-c", child], env=env, cwd=django_settings.BASE_DIR, capture_output=True, text=True, timeout=60
    )
    refused = anonymous.get("/api/v1/nothing/")

    assert other_process.returncode == 0, other_process.stderr
    assert other_process.stdout.split() == ["1", "0"]
    assert refused.status_code == 429


@pytest.mark.redis
def test_when_redis_is_down_requests_pass_and_a_warning_is_logged(limit, settings, caplog, monkeypatch):
    monkeypatch.setattr(throttling, "_last_redis_warning", 0.0)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    client = APIClient()

    statuses = [client.get("/api/v1/nothing/").status_code for _ in range(limit + 2)]

    assert statuses == [404] * (limit + 2)
    assert any("Rate limiting is off" in record.getMessage() for record in caplog.records)
