"""API keys in the back office: owners create them (the key is shown once), list and revoke them."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey, Role
from accounts.tests.factories import LocationFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def location():
    return LocationFactory(name="Central")


@pytest.fixture
def owner_browser(client, location):
    client.force_login(staff(location, Role.OWNER))
    return client


def add_key(browser, location, scopes=("orders:read", "orders:write")):
    form = {"location": location.pk, "name": "Deliveroo", "scopes": list(scopes)}
    return browser.post("/admin/accounts/apikey/add/", form)


def test_an_owner_creates_a_key_that_is_shown_once_and_works(owner_browser, location):
    response = add_key(owner_browser, location)

    assert response.status_code == 200
    key = re.search(r'<code id="api-key"[^>]*>([^<]+)</code>', response.content.decode()).group(1)
    api_key = ApiKey.objects.get()
    assert (api_key.name, api_key.scopes, api_key.location) == ("Deliveroo", ["orders:read", "orders:write"], location)
    assert key not in owner_browser.get(f"/admin/accounts/apikey/{api_key.pk}/change/").content.decode()
    assert key not in owner_browser.get("/admin/accounts/apikey/").content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert api.get("/api/v1/orders/").status_code == 200


def test_a_key_needs_a_scope(owner_browser, location):
    response = add_key(owner_browser, location, scopes=())

    assert response.status_code == 200  # the form again, with its error
    assert not ApiKey.objects.exists()


def test_an_owner_revokes_a_key(owner_browser, location):
    add_key(owner_browser, location)
    api_key = ApiKey.objects.get()

    owner_browser.post("/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]}, follow=True)

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_managers_do_not_manage_api_keys(client, location):
    client.force_login(staff(location, Role.MANAGER))

    assert client.get("/admin/accounts/apikey/").status_code == 403
    assert add_key(client, location).status_code == 403
    assert not ApiKey.objects.exists()


def test_an_owner_cannot_create_a_key_for_another_organizations_location(owner_browser):
    elsewhere = LocationFactory()

    response = add_key(owner_browser, elsewhere)

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ApiKey.objects.exists()
