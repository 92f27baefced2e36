"""The sign-in lockout (accounts.lockout): exact under races on every cache, one for every password form."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from accounts import services
from accounts.models import Role
from accounts.services import password_login, pin_login
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from cafepos.exceptions import ApplicationError

PARALLEL = 40


def race(callable_, times: int) -> list:
    """`callable_` from `times` threads released at once; each one's ApplicationError code (or other exception)."""
    barrier, outcomes = threading.Barrier(times), []

    def run():
        barrier.wait()
        try:
            callable_()
            outcomes.append("ok")
        except ApplicationError as error:
            outcomes.append(error.code)
        except Exception as error:  # the bug: a 500
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def counting(monkeypatch, name: str) -> list:
    """Count the calls of Django's secret check that `accounts.services` makes (the real function still runs)."""
    calls, real = [], getattr(services, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, name, counted)
    return calls


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_pins_check_exactly_the_maximum_and_never_fail(monkeypatch):
    location = LocationFactory()
    terminal, cashier = TerminalFactory(location=location), staff(location, pin="1234")
    checks = counting(monkeypatch, "check_password")

    outcomes = race(lambda: pin_login(terminal=terminal, user_id=cashier.id, pin="0000"), PARALLEL)

    assert len(checks) == settings.PIN_MAX_FAILURES
    assert sorted(set(outcomes)) == ["pin.invalid", "pin.locked"]
    assert outcomes.count("pin.invalid") == settings.PIN_MAX_FAILURES - 1
    with pytest.raises(ApplicationError) as refused:
        pin_login(terminal=terminal, user_id=cashier.id, pin="1234")
    assert refused.value.status == 429


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_check_exactly_the_maximum_and_never_fail(monkeypatch):
    cashier = staff(LocationFactory(), email="cleo@example.com")
    checks = counting(monkeypatch, "authenticate")

    outcomes = race(lambda: password_login(email=cashier.email, password="nope", client_ip="192.0.2.1"), PARALLEL)

    assert len(checks) == settings.LOGIN_MAX_FAILURES
    assert sorted(set(outcomes)) == ["auth.invalid_credentials", "auth.locked"]
    with pytest.raises(ApplicationError) as refused:
        password_login(email=cashier.email, password="password", client_ip="192.0.2.1")
    assert refused.value.code == "auth.locked"


@pytest.mark.django_db
def test_one_address_is_locked_out_across_emails_and_others_are_not(settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 12
    owner = staff(LocationFactory(), role=Role.OWNER, email="olga@example.com")
    codes = []
    for n in range(15):
        try:
            password_login(email=f"guess{n}@example.com", password="nope", client_ip="192.0.2.9")
        except ApplicationError as error:
            codes.append(error.code)

    assert codes == ["auth.invalid_credentials"] * 11 + ["auth.locked"] * 4
    with pytest.raises(ApplicationError, match="Too many"):
        password_login(email=owner.email, password="password", client_ip="192.0.2.9")
    assert password_login(email=owner.email, password="password", client_ip="198.51.100.7") == owner


@pytest.mark.django_db
def test_right_passwords_do_not_count_towards_the_address_cap(settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    owner = staff(LocationFactory(), role=Role.OWNER)

    for _ in range(10):
        assert password_login(email=owner.email, password="password", client_ip="192.0.2.3") == owner


@pytest.mark.django_db
def test_admin_login_locks_out_with_a_429_page_and_refuses_the_right_password(client):
    owner = staff(LocationFactory(), role=Role.OWNER, email="olga@example.com")

    statuses = [
        client.post("/admin/login/", {"username": owner.email, "password": f"wrong{n}"}).status_code for n in range(150)
    ]
    right = client.post("/admin/login/", {"username": owner.email, "password": "password"})

    cap = settings.LOGIN_MAX_FAILURES
    assert statuses == [200] * (cap - 1) + [429] * (150 - cap + 1)
    assert right.status_code == 429
    assert 0 < int(right["Retry-After"]) <= settings.LOGIN_LOCKOUT_SECONDS
    assert b"Too many wrong passwords" in right.content
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_admin_login_still_signs_in(client):
    owner = staff(LocationFactory(), role=Role.OWNER)

    response = client.post("/admin/login/", {"username": owner.email, "password": "password"})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.redis
@pytest.mark.django_db
def test_sign_in_fails_closed_with_a_503_when_redis_does_not_answer(settings, client):
    owner = staff(LocationFactory(), role=Role.OWNER)
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:18499/0"}  # nothing listens
    }

    with pytest.raises(ApplicationError) as refused:
        password_login(email=owner.email, password="password", client_ip="192.0.2.1")
    page = client.post("/admin/login/", {"username": owner.email, "password": "password"})

    assert (refused.value.status, refused.value.code) == (503, "auth.unavailable")
    assert page.status_code == 503
    assert "Retry-After" in page
