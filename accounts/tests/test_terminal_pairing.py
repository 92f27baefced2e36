"""A manager pairs a browser to a location at /terminal/pair/; the browser keeps a device cookie."""

import time

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role, Terminal
from accounts.services import credential_hash
from accounts.tests.conftest import use_terminal
from accounts.tests.factories import LocationFactory, paired_terminal, staff

pytestmark = pytest.mark.django_db

PAIR_URL = "/terminal/pair/"


def pair_form(email="max@example.com", password="password", **extra):
    return {"email": email, "password": password, "name": "Front till", "kind": "POS", **extra}


def test_pair_page_shows_the_form(client):
    response = client.get(PAIR_URL)

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert b'name="email"' in response.content and b'name="kind"' in response.content


def test_manager_pairs_a_terminal_and_the_browser_keeps_a_secure_device_cookie(client, location, manager):
    response = client.post(PAIR_URL, pair_form(kind="KITCHEN"))

    assert response.status_code == 302
    assert response["Location"] == "/terminal/login/"
    terminal = Terminal.objects.get()
    assert (terminal.location, terminal.kind, terminal.name, terminal.paired_by) == (
        location,
        Terminal.Kind.KITCHEN,
        "Front till",
        manager,
    )
    cookie = response.cookies[settings.TERMINAL_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"]  # tests run with DEBUG off
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 4 * 365 * 24 * 3600
    assert terminal.secret_hash == credential_hash(cookie.value) != cookie.value
    assert client.get("/terminal/login/").status_code == 200


def test_wrong_password_shows_the_form_again_with_a_message(client, manager):
    response = client.post(PAIR_URL, pair_form(password="nope"))

    assert response.status_code == 401
    assert b"Email or password is wrong." in response.content
    assert settings.TERMINAL_COOKIE_NAME not in response.cookies
    assert not Terminal.objects.exists()


def test_cashier_cannot_pair_a_terminal(client, cashier):
    response = client.post(PAIR_URL, pair_form(email="cleo@example.com"))

    assert response.status_code == 403
    assert b"Only a manager or owner can pair a terminal." in response.content
    assert not Terminal.objects.exists()


def test_missing_fields_are_named(client):
    response = client.post(PAIR_URL, {"kind": "POS"})

    assert response.status_code == 400
    assert response.content.count(b"This field is required.") == 3  # email, password, terminal name


def test_owner_of_several_locations_must_pick_one(client):
    first = LocationFactory(name="Central")
    second = LocationFactory(name="Harbour", organization=first.organization)
    LocationFactory(name="Someone else's cafe")
    staff(first, Role.OWNER, email="olivia@example.com")

    asked = client.post(PAIR_URL, pair_form(email="olivia@example.com"))

    assert asked.status_code == 400
    assert b"Pick a location." in asked.content
    assert b"<select" in asked.content and b"Central" in asked.content and b"Harbour" in asked.content
    assert b"Someone else" not in asked.content
    assert not Terminal.objects.exists()

    paired = client.post(PAIR_URL, pair_form(email="olivia@example.com", location=second.pk))

    assert paired.status_code == 302
    assert Terminal.objects.get().location == second


def test_a_location_of_another_organization_is_refused(client, manager):
    elsewhere = LocationFactory()

    response = client.post(PAIR_URL, pair_form(location=elsewhere.pk))

    assert response.status_code == 400
    assert b"Pick one of your locations." in response.content
    assert not Terminal.objects.exists()


def test_pairing_again_revokes_the_browser_s_previous_terminal(client, location, manager):
    previous, secret = paired_terminal(location=location)
    use_terminal(client, secret)

    response = client.post(PAIR_URL, pair_form())

    assert response.status_code == 302
    previous.refresh_from_db()
    assert previous.revoked_at is not None


def test_pair_form_needs_its_csrf_token(location, manager):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(PAIR_URL, pair_form())

    assert response.status_code == 403
    assert not Terminal.objects.exists()


# Guessing the manager's password ----------------------------------------------------------------------


def guess_until_locked(client):
    responses = [client.post(PAIR_URL, pair_form(password="nope")) for _ in range(settings.LOGIN_MAX_FAILURES)]
    assert all(r.status_code == 401 for r in responses[:-1])
    return responses[-1]


def test_repeated_wrong_passwords_lock_pairing_with_that_email_out(client, manager, caplog):
    locked = guess_until_locked(client)

    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= settings.LOGIN_LOCKOUT_SECONDS
    assert b"Too many wrong passwords. Wait before trying again." in locked.content
    assert "Password locked out" in caplog.text
    right_password_while_locked = client.post(PAIR_URL, pair_form())
    assert right_password_while_locked.status_code == 429
    assert "Retry-After" in right_password_while_locked
    assert not Terminal.objects.exists()


def test_the_pairing_lockout_is_the_api_login_s(client, manager):
    guess_until_locked(client)

    response = APIClient().post("/api/v1/auth/token/", {"email": "max@example.com", "password": "password"})

    assert response.status_code == 429


def test_a_lockout_does_not_reach_another_manager(client, manager, location):
    staff(location, Role.OWNER, email="olivia@example.com")
    guess_until_locked(client)

    assert client.post(PAIR_URL, pair_form(email="olivia@example.com"))["Location"] == "/terminal/login/"


def test_pairing_unlocks_once_the_lockout_is_over(client, manager, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    assert guess_until_locked(client).status_code == 429

    time.sleep(1.1)  # the lockout's whole length

    assert client.post(PAIR_URL, pair_form())["Location"] == "/terminal/login/"
