"""API authentication through real HTTP requests: passwords, PINs, rotation, logout, terminals, API keys, sessions."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import ApiKey, Role
from accounts.services import api_key_create, api_key_revoke, pin_login, terminal_revoke
from accounts.tests.api import api_as, api_as_terminal, api_with_key
from accounts.tests.factories import LocationFactory, MembershipFactory, paired_terminal, staff
from cafepos.exceptions import ApplicationError
from cafepos.tests.concurrency import run_concurrently
from menu.tests.factories import MenuItemFactory
from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def location():
    return LocationFactory(name="Central")


@pytest.fixture
def cashier(location):
    return staff(location, Role.CASHIER, email="cleo@example.com", pin="2222")


def error_code(response):
    return response.json()["error"]["code"]


def password_login(client, email, password):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def pin_login_request(client, secret, user, pin):
    body = {"terminal_secret": secret, "staff_id": user.pk, "pin": pin}
    return client.post("/api/v1/auth/pin/", body, format="json")


def refresh(client, token):
    return client.post("/api/v1/auth/token/refresh/", {"refresh": token}, format="json")


# Email and password ----------------------------------------------------------------------------------


def test_password_login_returns_tokens_whose_claims_carry_user_role_and_location(location, cashier):
    response = password_login(APIClient(), "Cleo@Example.com ", "password")

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    claims = AccessToken(response.json()["access"])
    assert (claims["user_id"], claims["role"], claims["location_id"]) == (str(cashier.pk), "CASHIER", location.pk)


def test_an_owner_of_several_locations_gets_no_single_location_claim(location):
    owner = staff(location, Role.OWNER, email="olivia@example.com")
    LocationFactory(organization=location.organization)

    claims = AccessToken(password_login(APIClient(), "olivia@example.com", "password").json()["access"])

    assert (claims["role"], claims["location_id"]) == ("OWNER", None)
    assert owner.pk == int(claims["user_id"])


def test_the_access_token_authenticates_requests(cashier):
    access = password_login(APIClient(), "cleo@example.com", "password").json()["access"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["user"]["id"] == cashier.pk


def test_a_wrong_password_is_401(cashier):
    response = password_login(APIClient(), "cleo@example.com", "nope")

    assert response.status_code == 401
    assert error_code(response) == "auth.invalid_credentials"


def test_an_inactive_user_cannot_log_in(cashier):
    cashier.is_active = False
    cashier.save()

    assert password_login(APIClient(), "cleo@example.com", "password").status_code == 401


def test_repeated_wrong_passwords_lock_the_email_out_with_retry_after(cashier):
    client = APIClient()
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert password_login(client, "cleo@example.com", "nope").status_code == 401

    locked = password_login(client, "cleo@example.com", "nope")
    right_password_while_locked = password_login(client, "cleo@example.com", "password")

    assert locked.status_code == 429
    assert error_code(locked) == "auth.locked"
    assert 0 < int(locked["Retry-After"]) <= settings.LOGIN_LOCKOUT_SECONDS
    assert right_password_while_locked.status_code == 429


def test_a_password_change_ends_every_token_issued_before(cashier):
    client = api_as(cashier)
    cashier.set_password("a-new-password-1")
    cashier.save()

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert error_code(response) == "authentication_failed"


def test_a_forged_token_is_401_in_the_error_shape(cashier):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert error_code(response) == "token_invalid"


def test_a_bearer_header_without_a_token_is_401(cashier):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer")

    assert client.get("/api/v1/me/").status_code in (401,)


# PIN on a terminal -------------------------------------------------------------------------------------


def test_pin_login_gives_a_token_bound_to_the_terminals_location(location, cashier):
    terminal, secret = paired_terminal(location=location)

    response = pin_login_request(APIClient(), secret, cashier, "2222")

    assert response.status_code == 200
    claims = AccessToken(response.json()["access"])
    assert (claims["terminal_id"], claims["location_id"], claims["role"]) == (terminal.pk, location.pk, "CASHIER")


def test_a_pin_token_reaches_only_its_terminals_location(location):
    owner = staff(location, Role.OWNER, pin="9999")
    other = LocationFactory(organization=location.organization)
    terminal, secret = paired_terminal(location=location)
    access = pin_login_request(APIClient(), secret, owner, "9999").json()["access"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    locations = client.get("/api/v1/locations/").json()["results"]

    assert [row["id"] for row in locations] == [location.pk]
    assert other.pk not in [row["id"] for row in locations]


def test_a_pin_token_stops_working_when_its_terminal_is_revoked(location, cashier):
    terminal, _ = paired_terminal(location=location)
    client = api_as(cashier, terminal=terminal)
    terminal_revoke(terminal=terminal)

    assert client.get("/api/v1/me/").status_code == 401


def test_a_wrong_pin_is_401_and_an_unknown_terminal_is_401(location, cashier):
    _, secret = paired_terminal(location=location)

    wrong_pin = pin_login_request(APIClient(), secret, cashier, "0000")
    unknown_terminal = pin_login_request(APIClient(), "no-such-terminal", cashier, "2222")

    assert (wrong_pin.status_code, error_code(wrong_pin)) == (401, "pin.invalid")
    assert (unknown_terminal.status_code, error_code(unknown_terminal)) == (401, "auth.terminal_invalid")


def test_pin_lockout_is_shared_with_the_terminals_own_login_page(location, cashier):
    terminal, secret = paired_terminal(location=location)
    for _ in range(settings.PIN_MAX_FAILURES - 1):
        pin_login_request(APIClient(), secret, cashier, "0000")

    locked = pin_login_request(APIClient(), secret, cashier, "0000")

    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    with pytest.raises(ApplicationError) as refused:
        pin_login(terminal=terminal, user_id=cashier.pk, pin="2222")  # what the page's form calls
    assert refused.value.code == "pin.locked"


@pytest.mark.parametrize("staff_id", ["abc", 10**30, -1, None])
def test_a_malformed_staff_id_is_a_validation_error(location, staff_id):
    _, secret = paired_terminal(location=location)

    body = {"terminal_secret": secret, "staff_id": staff_id, "pin": "1234"}
    response = APIClient().post("/api/v1/auth/pin/", body, format="json")

    assert response.status_code == 400
    assert "staff_id" in response.json()["error"]["fields"]


# Refresh rotation and logout ---------------------------------------------------------------------------


def test_refresh_rotates_and_the_old_refresh_token_is_refused_after(cashier):
    first = password_login(APIClient(), "cleo@example.com", "password").json()

    rotated = refresh(APIClient(), first["refresh"])
    reused = refresh(APIClient(), first["refresh"])

    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    assert rotated.json()["refresh"] != first["refresh"]
    assert (reused.status_code, error_code(reused)) == (401, "token_invalid")
    assert refresh(APIClient(), rotated.json()["refresh"]).status_code == 200


def test_an_access_token_is_not_a_refresh_token(cashier):
    access = password_login(APIClient(), "cleo@example.com", "password").json()["access"]

    assert refresh(APIClient(), access).status_code == 401


def test_logout_blacklists_the_refresh_token(cashier):
    tokens = password_login(APIClient(), "cleo@example.com", "password").json()

    logout = APIClient().post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    assert logout.status_code == 204
    assert refresh(APIClient(), tokens["refresh"]).status_code == 401


def test_refresh_is_refused_once_the_user_is_deactivated(cashier):
    tokens = password_login(APIClient(), "cleo@example.com", "password").json()
    cashier.is_active = False
    cashier.save()

    assert refresh(APIClient(), tokens["refresh"]).status_code == 401


# Terminal credentials ----------------------------------------------------------------------------------


def test_terminal_credential_acts_for_a_staff_member_of_its_location(location, cashier):
    """The device credential sends orders for a staff member (delegated: an offline queue's writes, no reads)."""
    terminal, secret = paired_terminal(location=location)
    item = MenuItemFactory(location=location)
    cart = {"type": "TAKEAWAY", "items": [{"menu_item_id": item.pk, "quantity": 1}]}

    created = api_as_terminal(secret, cashier).post("/api/v1/orders/", cart, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    me = api_as_terminal(secret, cashier).get("/api/v1/me/")

    assert created.status_code == 201, created.content
    order = Order.objects.get(pk=created.json()["id"])
    assert (order.terminal, order.staff) == (terminal, cashier)
    assert (me.status_code, error_code(me)) == (403, "auth.delegation_refused")


def test_terminal_credential_needs_a_staff_member_of_that_location(location, cashier):
    _, secret = paired_terminal(location=location)
    stranger = staff(LocationFactory(), Role.MANAGER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Terminal {secret}")

    assert client.get("/api/v1/me/").status_code == 401
    assert api_as_terminal(secret, stranger).get("/api/v1/me/").status_code == 401


def test_a_revoked_terminal_credential_is_401(location, cashier):
    terminal, secret = paired_terminal(location=location)
    terminal_revoke(terminal=terminal)

    assert api_as_terminal(secret, cashier).get("/api/v1/me/").status_code == 401


def test_the_pages_own_calls_use_the_terminal_cookie_and_its_pin_session(location, cashier):
    terminal, secret = paired_terminal(location=location)
    browser = APIClient(enforce_csrf_checks=True)
    browser.cookies[settings.TERMINAL_COOKIE_NAME] = secret
    browser.get("/terminal/login/")
    csrf = browser.cookies["csrftoken"].value
    form = {"staff": cashier.pk, "pin": "2222", "csrfmiddlewaretoken": csrf}
    signed_in = browser.post("/terminal/login/", form, format="multipart")
    assert signed_in.status_code == 302

    me = browser.get("/api/v1/me/")
    me_by_staff_header = browser.get("/api/v1/me/", HTTP_X_STAFF_ID=str(cashier.pk))

    assert me.status_code == 200
    assert (me.json()["kind"], me.json()["terminal"]["id"], me.json()["user"]["id"]) == (
        "terminal",
        terminal.pk,
        cashier.pk,
    )
    assert me_by_staff_header.status_code == 200


# API keys ----------------------------------------------------------------------------------------------


def test_an_api_key_is_shown_once_stored_hashed_and_authenticates(location):
    api_key, key = api_key_create(location=location, name="Deliveroo", scopes=["orders:read"], created_by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")

    response = client.get("/api/v1/me/")

    assert key not in (api_key.key_hash, api_key.prefix) and key.startswith(api_key.prefix)
    assert response.status_code == 200
    assert response.json()["api_key"] == {
        "id": api_key.pk,
        "name": "Deliveroo",
        "prefix": api_key.prefix,
        "scopes": ["orders:read"],
    }
    assert [row["id"] for row in response.json()["locations"]] == [location.pk]


def test_a_revoked_or_unknown_api_key_is_401(location):
    api_key, key = api_key_create(location=location, name="Old", scopes=["menu:read"], created_by=None)
    api_key_revoke(api_key=api_key)
    revoked, unknown = APIClient(), APIClient()
    revoked.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    unknown.credentials(HTTP_AUTHORIZATION="Api-Key cpk_nothing_here")

    assert revoked.get("/api/v1/me/").status_code == 401
    assert unknown.get("/api/v1/me/").status_code == 401


def test_api_key_use_is_recorded_at_most_once_a_minute(location):
    client = api_with_key(location, ["menu:read"])
    client.get("/api/v1/me/")
    api_key = ApiKey.objects.get()
    first_use = api_key.last_used_at

    client.get("/api/v1/me/")
    api_key.refresh_from_db()
    unchanged = api_key.last_used_at
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get("/api/v1/me/")
    api_key.refresh_from_db()

    assert first_use is not None and unchanged == first_use
    assert api_key.last_used_at > first_use


@pytest.mark.parametrize(
    ("name", "scopes", "code"),
    [
        ("", ["menu:read"], "api_key.name_required"),
        ("X", [], "api_key.invalid_scopes"),
        ("X", ["root"], "api_key.invalid_scopes"),
    ],
)
def test_api_key_creation_validates_name_and_scopes(location, name, scopes, code):
    with pytest.raises(ApplicationError) as refused:
        api_key_create(location=location, name=name, scopes=scopes, created_by=None)

    assert refused.value.code == code


# Sessions ----------------------------------------------------------------------------------------------


def test_a_back_office_session_authenticates(location):
    owner = staff(location, Role.OWNER)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(owner)

    me = browser.get("/api/v1/me/")

    assert me.status_code == 200
    assert me.json()["kind"] == "user"


def test_me_lists_the_role_at_each_location(location):
    owner_elsewhere = staff(location, Role.CASHIER)
    second = LocationFactory(organization=location.organization)
    MembershipFactory(user=owner_elsewhere, location=second, role=Role.MANAGER)

    rows = api_as(owner_elsewhere).get("/api/v1/me/").json()["locations"]

    assert {row["id"]: row["role"] for row in rows} == {location.pk: "CASHIER", second.pk: "MANAGER"}


def test_anonymous_callers_get_401_with_a_bearer_challenge():
    response = APIClient().get("/api/v1/me/")

    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_refreshes_with_one_token_give_one_new_pair(cashier):
    tokens = password_login(APIClient(), "cleo@example.com", "password").json()

    statuses = run_concurrently(4, lambda _: refresh(APIClient(), tokens["refresh"]).status_code)

    assert sorted(statuses) == [200, 401, 401, 401]
