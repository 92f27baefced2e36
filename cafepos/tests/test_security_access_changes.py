"""A change of someone's account, memberships or role reaches their very next API request, although a caller's
access is cached (`accounts.selectors.staff_access`): in this process, in another one, and with Redis down.

Each test first makes a request, so the caller's access is cached before the change.
"""

import subprocess  # nosec B404 (a child process of this test run)
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Membership, Role
from accounts.selectors import staff_access
from accounts.services import membership_remove, membership_set
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, staff
from cafepos.tests.concurrency import child_process_env
from menu.tests.factories import MenuItemFactory

pytestmark = pytest.mark.django_db

MENU = "/api/v1/menu/"


@pytest.fixture
def location():
    return LocationFactory(name="Central")


@pytest.fixture
def latte(location):
    return MenuItemFactory(location=location, name="Latte")


def sold_out(client, item):
    """A manager's action (86 an item): 200 for a manager or owner, 403 for any other role."""
    return client.post(f"/api/v1/menu/items/{item.pk}/sold-out/")


def test_a_deactivated_user_is_refused_on_the_next_request(location):
    cashier = staff(location, Role.CASHIER)
    client = api_as(cashier)
    assert client.get(MENU).status_code == 200

    cashier.is_active = False
    cashier.save(update_fields=["is_active"])

    response = client.get(MENU)
    assert (response.status_code, response.json()["error"]["message"]) == (401, "User is inactive")


def test_a_removed_membership_is_refused_on_the_next_request(location):
    cashier = staff(location, Role.CASHIER)
    client = api_as(cashier)
    assert client.get(f"{MENU}?location={location.pk}").status_code == 200

    membership_remove(membership=Membership.objects.get(user=cashier))

    assert client.get(f"{MENU}?location={location.pk}").status_code == 404  # no longer their location
    assert client.get(MENU).status_code == 403  # no role anywhere


def test_a_lowered_role_is_refused_and_a_raised_one_allowed_on_the_next_request(location, latte):
    manager, cashier = staff(location, Role.MANAGER), staff(location, Role.CASHIER)
    as_manager, as_cashier = api_as(manager), api_as(cashier)
    assert (sold_out(as_manager, latte).status_code, sold_out(as_cashier, latte).status_code) == (200, 403)

    membership_set(user=manager, location=location, role=Role.CASHIER)
    membership_set(user=cashier, location=location, role=Role.MANAGER)

    assert (sold_out(as_manager, latte).status_code, sold_out(as_cashier, latte).status_code) == (403, 200)


def test_a_changed_password_ends_the_tokens_issued_before_on_the_next_request(location):
    cashier = staff(location, Role.CASHIER)
    client = api_as(cashier)
    assert client.get(MENU).status_code == 200

    cashier.set_password("a-new-password-1")
    cashier.save()

    assert client.get(MENU).status_code == 401
    assert api_as(cashier).get(MENU).status_code == 200


def test_a_new_location_of_an_owners_organization_is_theirs_on_the_next_request(location):
    owner = staff(location, Role.OWNER)
    client = api_as(owner)
    assert client.get(MENU).status_code == 200

    harbour = LocationFactory(name="Harbour", organization=location.organization)

    assert client.get(MENU).json()["error"]["code"] == "location.required"
    assert client.get(f"{MENU}?location={harbour.pk}").json()["location_id"] == harbour.pk


@pytest.mark.django_db(transaction=True)  # the menu's cache follows its location after commit
def test_a_location_change_is_seen_on_the_next_request(location):
    owner = staff(location, Role.OWNER)
    client = api_as(owner)
    assert client.get(MENU).json()["currency"] == "EUR"

    location.currency = "GBP"
    location.save()

    assert client.get(MENU).json()["currency"] == "GBP"


def test_an_access_token_accepted_before_is_refused_once_it_expires(location):
    """The signature is checked once per process; the expiry on every request."""
    token = AccessToken.for_user(staff(location, Role.CASHIER))
    token.set_exp(lifetime=timedelta(seconds=2))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(MENU).status_code == 200

    time.sleep(2.1)

    response = client.get(MENU)
    assert (response.status_code, response.json()["error"]["code"]) == (401, "token_invalid")


def test_a_warm_menu_read_makes_no_query_and_a_cold_one_reads_the_caller(location, latte, django_assert_num_queries):
    cashier = staff(location, Role.CASHIER)
    client = api_as(cashier)
    client.get(MENU)  # the menu is cached
    membership_set(user=cashier, location=location, role=Role.KITCHEN)  # the caller's access is not

    with django_assert_num_queries(3):  # the user, their locations, their memberships
        assert client.get(MENU).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(MENU).status_code == 200


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_access_read_by_another_connection_before_the_commit_is_not_used_after_it(location, latte):
    """Another process reads the old role while the change is uncommitted and caches it; the commit wins."""
    manager = staff(location, Role.MANAGER)
    client = api_as(manager)
    assert sold_out(client, latte).status_code == 200

    def read_committed_access():
        try:
            return staff_access(manager.pk).role_at(location)
        finally:
            connection.close()

    seen_meanwhile = []
    with transaction.atomic():
        membership_set(user=manager, location=location, role=Role.CASHIER)
        reader = threading.Thread(target=lambda: seen_meanwhile.append(read_committed_access()))
        reader.start()
        reader.join()

    assert seen_meanwhile == [Role.MANAGER]  # cached under the token replaced before the commit
    assert sold_out(client, latte).status_code == 403


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_here_is_seen_by_another_process_at_once(location):
    cashier = staff(location, Role.CASHIER)
    check = (
        "import django; django.setup(); from accounts.selectors import staff_access; "
        f"access = staff_access({cashier.pk}); print(access.user.is_active, sorted(access.roles.values()))"
    )

    def other_process() -> str:
        command = [sys.executable, "-c", check]
        return subprocess.run(command, env=child_process_env(), capture_output=True, text=True, check=True).stdout  # noqa: S603

    assert other_process().split() == ["True", "['CASHIER']"]  # now cached in Redis
    membership_set(user=cashier, location=location, role=Role.KITCHEN)
    cashier.is_active = False
    cashier.save(update_fields=["is_active"])

    assert other_process().split() == ["False", "[]"]


@pytest.mark.redis
def test_with_redis_down_access_is_read_from_the_database(location, latte, settings):
    manager, cashier = staff(location, Role.MANAGER), staff(location, Role.CASHIER)
    as_manager, as_cashier = api_as(manager), api_as(cashier)
    assert sold_out(as_manager, latte).status_code == 200
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }

    membership_set(user=manager, location=location, role=Role.CASHIER)
    cashier.is_active = False
    cashier.save(update_fields=["is_active"])

    assert sold_out(as_manager, latte).status_code == 403
    assert as_cashier.get(MENU).status_code == 401
    assert api_as(staff(location, Role.KITCHEN)).get(MENU).status_code == 200
