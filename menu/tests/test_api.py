"""The menu through the API: served from the cache, 86 and back, and another location's items are 404."""

from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, staff
from menu.models import MenuItem
from menu.selectors import menu_for_location, menu_localized
from menu.tests.factories import MenuItemFactory, ModifierFactory, ModifierGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flat_white(location, milk):
    return MenuItemFactory(location=location, name="Flat white", price=Decimal("3.50"), modifier_groups=[milk])


def test_the_menu_has_prices_in_minor_units_with_the_currency(manager, flat_white):
    menu = api_as(manager).get("/api/v1/menu/").json()

    item = menu["categories"][0]["items"][0]
    assert (menu["location_id"], menu["currency"]) == (flat_white.location_id, "EUR")
    assert (item["name"], item["price"], item["tax_rate"]) == ("Flat white", 350, "10.00")
    assert [m["price_delta"] for m in item["modifier_groups"][0]["modifiers"]] == [50, 50]


def test_a_cached_menu_is_read_by_a_cached_caller_without_a_query(manager, flat_white, django_assert_num_queries):
    MenuItemFactory(location=flat_white.location, name="Caffè “latte”", description="<b>&</b>")
    client = api_as(manager)
    first = client.get("/api/v1/menu/")

    with django_assert_num_queries(0):  # the caller's access and the menu's JSON body both from the cache
        response = client.get("/api/v1/menu/")

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert response.content == first.content
    assert response.content == JSONRenderer().render(menu_localized(menu_for_location(flat_white.location), "en"))


def test_a_menu_fetched_ahead_is_the_callers_locations_and_current(flat_white):
    # given an owner of two locations reading one location's menu (fetched ahead from then on)
    here = flat_white.location
    there = LocationFactory(organization=here.organization, name="Harbour")
    MenuItemFactory(location=there, name="Harbour scone")
    owner = staff(here, Role.OWNER)
    client = api_as(owner)
    names = lambda response: [i["name"] for c in response.json()["categories"] for i in c["items"]]  # noqa: E731
    assert names(client.get(f"/api/v1/menu/?location={here.pk}")) == ["Flat white"]

    # when it reads the other location's menu, then the first one's after a change
    assert names(client.get(f"/api/v1/menu/?location={there.pk}")) == ["Harbour scone"]
    flat_white.name = "Flat white (oat)"
    flat_white.save()

    # then each read is of the location asked for, as it is now
    assert names(client.get(f"/api/v1/menu/?location={here.pk}")) == ["Flat white (oat)"]
    assert names(client.get(f"/api/v1/menu/?location={here.pk}")) == ["Flat white (oat)"]


def test_an_item_is_read_with_its_category(manager, flat_white):
    response = api_as(manager).get(f"/api/v1/menu/items/{flat_white.pk}/")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["category_id"]) == (flat_white.pk, flat_white.category_id)


@pytest.mark.django_db(transaction=True)  # real commits: the cache is invalidated on commit, as in production
def test_a_manager_marks_an_item_sold_out_and_back(manager, flat_white):
    client = api_as(manager)
    client.get("/api/v1/menu/")  # cached before the change

    sold_out = client.post(f"/api/v1/menu/items/{flat_white.pk}/sold-out/")
    menu_after = client.get("/api/v1/menu/").json()
    back = client.post(f"/api/v1/menu/items/{flat_white.pk}/back-in-stock/")

    assert (sold_out.status_code, sold_out.json()["is_sold_out"]) == (200, True)
    assert menu_after["categories"][0]["items"][0]["is_sold_out"] is True
    assert (back.status_code, back.json()["is_sold_out"]) == (200, False)
    assert MenuItem.objects.get(pk=flat_white.pk).is_sold_out is False


@pytest.mark.parametrize("item_id", ["999999", str(2**63), "99999999999999999999"])
def test_unknown_item_ids_are_404(manager, flat_white, item_id):
    response = api_as(manager).get(f"/api/v1/menu/items/{item_id}/")

    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_another_locations_item_is_404_not_403(manager, flat_white):
    elsewhere = MenuItemFactory(location=LocationFactory())
    client = api_as(manager)

    assert client.get(f"/api/v1/menu/items/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/api/v1/menu/items/{elsewhere.pk}/sold-out/").status_code == 404
    assert MenuItem.objects.get(pk=elsewhere.pk).is_sold_out is False


def test_an_inactive_item_is_not_on_the_menu(manager, location):
    item = MenuItemFactory(location=location, is_active=False)

    assert api_as(manager).get(f"/api/v1/menu/items/{item.pk}/").status_code == 404


def test_a_session_write_needs_the_csrf_token(location, flat_white):
    owner = staff(location, Role.OWNER)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(owner)

    token = "k" * 32
    browser.cookies["csrftoken"] = token

    refused = browser.post(f"/api/v1/menu/items/{flat_white.pk}/sold-out/")
    accepted = browser.post(f"/api/v1/menu/items/{flat_white.pk}/sold-out/", HTTP_X_CSRFTOKEN=token)

    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "permission_denied")
    assert accepted.status_code == 200


def test_modifier_prices_follow_the_currencys_minor_unit(manager):
    yen = LocationFactory(currency="JPY")
    group = ModifierGroupFactory(location=yen)
    ModifierFactory(group=group, price_delta=Decimal("50"))
    MenuItemFactory(location=yen, price=Decimal("480"), modifier_groups=[group])
    owner = staff(yen, Role.OWNER)

    item = api_as(owner).get("/api/v1/menu/").json()["categories"][0]["items"][0]

    assert (item["price"], item["modifier_groups"][0]["modifiers"][0]["price_delta"]) == (480, 50)


def test_an_item_added_without_a_sku_is_served_with_its_generated_one(manager, location):
    from menu.services import menu_item_create
    from menu.tests.factories import CategoryFactory

    item = menu_item_create(
        location=location, category=CategoryFactory(location=location), name="Mocha", price=Decimal("4.20")
    )

    response = api_as(manager).get(f"/api/v1/menu/items/{item.pk}/")

    assert response.json()["sku"] == "ITEM-0001"
