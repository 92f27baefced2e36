"""Staff sign in on a paired terminal with a PIN; revocation and lockouts take effect at once."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role, Terminal
from accounts.services import terminal_revoke
from accounts.terminal_auth import TERMINAL_SESSION_KEY
from accounts.tests.conftest import use_terminal
from accounts.tests.factories import LocationFactory, MembershipFactory, paired_terminal, staff

pytestmark = pytest.mark.django_db

LOGIN_URL = "/terminal/login/"


def sign_in(client, user, pin):
    return client.post(LOGIN_URL, {"staff": user.pk, "pin": pin})


def test_unpaired_browser_is_sent_to_pairing(client, location):
    assert client.get(LOGIN_URL)["Location"] == "/terminal/pair/"
    assert client.get("/pos/")["Location"] == "/terminal/pair/"


def test_login_page_shows_the_location_staff_as_tiles(client, pos, manager, cashier, django_assert_max_num_queries):
    staff(pos.location, Role.KITCHEN, full_name="No Pin Yet")
    staff(LocationFactory(), Role.CASHIER, full_name="Other Cafe", pin="5555")
    staff(pos.location, Role.CASHIER, full_name="<b>Bold</b>", pin="9999")

    with django_assert_max_num_queries(6):
        response = client.get(LOGIN_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Max Manager" in page and "Cleo Cashier" in page
    assert "No Pin Yet" not in page and "Other Cafe" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page and "<b>Bold</b>" not in page
    assert 'name="pin"' in page and "csrfmiddlewaretoken" in page


def test_owner_of_the_organization_gets_a_tile_at_every_location(client, pos):
    other_location = LocationFactory(organization=pos.location.organization)
    staff(other_location, Role.OWNER, full_name="Olivia Owner", pin="4444")

    assert "Olivia Owner" in client.get(LOGIN_URL).content.decode()


def test_right_pin_opens_a_session_and_goes_to_the_pos(client, pos, cashier):
    response = sign_in(client, cashier, "2222")

    assert response.status_code == 302
    assert response["Location"] == "/pos/"
    assert client.session["_auth_user_id"] == str(cashier.pk)
    assert client.session[TERMINAL_SESSION_KEY] == pos.pk
    home = client.get("/pos/")
    assert home.status_code == 200
    assert b"Cleo Cashier" in home.content


def test_kitchen_terminal_goes_to_the_kitchen_display(client, location):
    cook = staff(location, Role.KITCHEN, pin="3333")
    _, secret = paired_terminal(location=location, kind=Terminal.Kind.KITCHEN)
    use_terminal(client, secret)

    response = sign_in(client, cook, "3333")

    assert response["Location"] == "/kitchen/"
    assert client.get("/kitchen/").status_code == 200
    assert client.get("/pos/")["Location"] == "/kitchen/"


def test_wrong_pin_shows_a_message_and_opens_no_session(client, pos, cashier):
    response = sign_in(client, cashier, "0000")

    assert response.status_code == 401
    assert b"Wrong PIN." in response.content
    assert "_auth_user_id" not in client.session
    assert client.get("/pos/")["Location"] == LOGIN_URL


def test_staff_of_another_location_cannot_sign_in_here(client, pos):
    stranger = staff(LocationFactory(), Role.MANAGER, pin="1234")

    response = sign_in(client, stranger, "1234")

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("staff_id", ["99999999999999999999999", "-1", "١٢", "abc", ""])
def test_a_staff_id_that_names_no_row_is_refused_not_a_server_error(client, pos, staff_id):
    response = client.post(LOGIN_URL, {"staff": staff_id, "pin": "1234"})

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_password_session_is_not_a_terminal_session(client, pos, manager):
    client.force_login(manager)

    assert client.get("/pos/")["Location"] == LOGIN_URL


def test_revoked_terminal_loses_access_at_once(client, pos, cashier):
    sign_in(client, cashier, "2222")
    assert client.get("/pos/").status_code == 200

    terminal_revoke(terminal=pos)

    assert client.get("/pos/")["Location"] == "/terminal/pair/"
    assert "_auth_user_id" not in client.session
    assert client.get(LOGIN_URL)["Location"] == "/terminal/pair/"
    assert sign_in(client, cashier, "2222")["Location"] == "/terminal/pair/"


def test_removing_a_role_ends_access_to_the_pos(client, pos, cashier):
    sign_in(client, cashier, "2222")

    cashier.memberships.update(is_active=False)

    assert client.get("/pos/")["Location"] == LOGIN_URL


def test_logout_ends_the_session_but_keeps_the_terminal_paired(client, pos, cashier):
    sign_in(client, cashier, "2222")

    response = client.post("/terminal/logout/")

    assert response["Location"] == LOGIN_URL
    assert client.get("/pos/")["Location"] == LOGIN_URL
    assert b"Cleo Cashier" in client.get(LOGIN_URL).content


def test_logout_needs_a_post(client, pos, cashier):
    sign_in(client, cashier, "2222")

    assert client.get("/terminal/logout/").status_code == 405
    assert client.get("/pos/").status_code == 200


def test_sign_in_form_needs_its_csrf_token(location, cashier):
    _, secret = paired_terminal(location=location)
    browser = use_terminal(Client(enforce_csrf_checks=True), secret)

    assert sign_in(browser, cashier, "2222").status_code == 403


def test_a_pin_session_does_not_open_the_admin(client, pos, manager):
    sign_in(client, manager, "1111")

    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    client.post("/admin/login/", {"username": manager.email, "password": "password"})

    assert client.get("/admin/").status_code == 200
    assert client.get("/pos/")["Location"] == LOGIN_URL


# Lockout and unlock ---------------------------------------------------------------------------------


def fail_until_locked(client, user):
    responses = [sign_in(client, user, "0000") for _ in range(settings.PIN_MAX_FAILURES)]
    assert all(r.status_code == 401 for r in responses[:-1])
    return responses[-1]


def test_too_many_wrong_pins_lock_that_staff_member_on_that_terminal(client, pos, cashier):
    locked = fail_until_locked(client, cashier)

    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= settings.PIN_LOCKOUT_SECONDS
    assert b"Too many wrong PINs" in locked.content
    right_pin_now = sign_in(client, cashier, "2222")
    assert right_pin_now.status_code == 429
    assert "Retry-After" in right_pin_now


def test_a_lockout_does_not_reach_another_terminal_or_another_staff_member(client, pos, cashier, manager):
    fail_until_locked(client, cashier)
    _, other_secret = paired_terminal(location=pos.location)
    other_browser = use_terminal(Client(), other_secret)

    assert sign_in(other_browser, cashier, "2222")["Location"] == "/pos/"
    assert sign_in(client, manager, "1111")["Location"] == "/pos/"


def test_manager_unlocks_the_terminal_with_their_own_pin(client, pos, cashier, manager):
    fail_until_locked(client, cashier)

    response = client.post("/terminal/unlock/", {"manager": manager.pk, "pin": "1111"}, follow=True)

    assert response.status_code == 200
    assert b"PIN lockouts on this terminal cleared by Max Manager." in response.content
    assert sign_in(client, cashier, "2222")["Location"] == "/pos/"


def test_cashier_cannot_unlock(client, pos, cashier):
    colleague = staff(pos.location, Role.CASHIER, pin="7777")
    fail_until_locked(client, cashier)

    response = client.post("/terminal/unlock/", {"manager": colleague.pk, "pin": "7777"})

    assert response.status_code == 403
    assert b"Only a manager can unlock." in response.content
    assert sign_in(client, cashier, "2222").status_code == 429


def test_unlock_with_a_wrong_manager_pin_is_refused(client, pos, cashier, manager):
    fail_until_locked(client, cashier)

    response = client.post("/terminal/unlock/", {"manager": manager.pk, "pin": "9999"})

    assert response.status_code == 401
    assert sign_in(client, cashier, "2222").status_code == 429


def test_a_manager_at_another_location_of_the_organization_cannot_unlock_here(client, pos, cashier):
    elsewhere = LocationFactory(organization=pos.location.organization)
    other_manager = staff(elsewhere, Role.MANAGER, pin="8888")
    MembershipFactory(user=other_manager, location=pos.location, role=Role.KITCHEN)
    fail_until_locked(client, cashier)

    response = client.post("/terminal/unlock/", {"manager": other_manager.pk, "pin": "8888"})

    assert response.status_code == 403
