"""The menu back office through real admin requests: scope, the services' rules, bulk actions and history."""

from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import staff
from cafepos.models import Event
from menu.models import Category, MenuItem, ModifierGroup
from menu.tests.factories import CategoryFactory, MenuItemFactory, ModifierFactory, ModifierGroupFactory

pytestmark = pytest.mark.django_db

ITEMS = "/admin/menu/menuitem/"
CATEGORIES = "/admin/menu/category/"
GROUPS = "/admin/menu/modifiergroup/"


def management(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """POST data of an inline or changelist formset."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def item_form(item: MenuItem, **changes) -> dict:
    if "modifier_groups" not in changes:
        changes["modifier_groups"] = [group.pk for group in item.modifier_groups.all()]
    data = {
        "category": item.category_id,
        "name": item.name,
        "description": item.description,
        "price": str(item.price),
        "tax_rate": str(item.tax_rate),
        "sku": item.sku,
        "station": item.station,
        "sort_order": item.sort_order,
        "is_active": "on",
        **changes,
    }
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def latte(location):
    return MenuItemFactory(location=location, name="Latte", price=Decimal("3.80"))


@pytest.fixture
def harbour_latte(other_location):
    return MenuItemFactory(location=other_location, name="Harbour latte", price=Decimal("3.90"))


def test_manager_sees_and_edits_only_their_location(client, manager, latte, harbour_latte):
    client.force_login(manager)

    listed = client.get(ITEMS)
    foreign_page = client.get(f"{ITEMS}{harbour_latte.pk}/change/")
    foreign_post = client.post(f"{ITEMS}{harbour_latte.pk}/change/", item_form(harbour_latte, price="0.10"))

    assert list(listed.context["cl"].result_list) == [latte]
    assert b"Harbour latte" not in listed.content
    assert foreign_page.status_code == 302  # Django admin: "does not exist", back to the index
    assert foreign_post.status_code == 302
    harbour_latte.refresh_from_db()
    assert harbour_latte.price == Decimal("3.900")


def test_owner_sees_every_location_of_the_organization(client, owner, latte, harbour_latte):
    client.force_login(owner)

    listed = client.get(ITEMS)

    assert set(listed.context["cl"].result_list) == {latte, harbour_latte}
    assert client.get(f"{ITEMS}{harbour_latte.pk}/change/").status_code == 200


@pytest.mark.parametrize("role", [Role.CASHIER, Role.KITCHEN])
def test_cashier_and_kitchen_cannot_enter_the_back_office(client, location, role):
    client.force_login(staff(location, role))

    assert client.get(ITEMS).status_code == 302
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_negative_price_in_the_item_form_shows_the_service_message(client, manager, latte):
    client.force_login(manager)

    page = client.post(f"{ITEMS}{latte.pk}/change/", item_form(latte, price="-1.00"))

    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {"price": ["A price cannot be negative."]}
    latte.refresh_from_db()
    assert latte.price == Decimal("3.800")


def test_item_form_refuses_a_modifier_group_of_another_location(client, owner, latte, other_location):
    foreign = ModifierGroupFactory(location=other_location, name="Harbour milk")
    client.force_login(owner)

    page = client.post(f"{ITEMS}{latte.pk}/change/", item_form(latte, modifier_groups=[foreign.pk]))

    assert page.context["adminform"].form.errors == {
        "modifier_groups": ["A modifier group of another location cannot be used here."]
    }


def test_item_added_in_admin_is_recorded_with_who_added_it(client, manager, location):
    coffee = CategoryFactory(location=location, name="Coffee")
    client.force_login(manager)
    draft = MenuItem(location=location, category=coffee, name="Mocha", price=Decimal("4.20"), sku="MOC")

    response = client.post(f"{ITEMS}add/", item_form(draft, modifier_groups=[]))

    assert response.status_code == 302
    mocha = MenuItem.objects.get(sku="MOC")
    assert (mocha.location, mocha.price) == (location, Decimal("4.200"))
    assert mocha.history.get().history_user == manager
    assert Event.objects.filter(location_id=location.id, type="menu.updated").count() == 1


def changelist_row(item: MenuItem, **values) -> dict:
    return management("form", [{"id": item.pk, **values}], initial=1) | {"_save": "Save"}


def test_list_editable_price_goes_through_the_service_rule(client, manager, latte):
    client.force_login(manager)

    refused = client.post(ITEMS, changelist_row(latte, price="3.555"))
    accepted = client.post(ITEMS, changelist_row(latte, price="4.10", is_sold_out="on"))

    assert refused.status_code == 200
    assert refused.context["cl"].formset.errors == [{"price": ["Use at most 2 decimal places for EUR."]}]
    assert accepted.status_code == 302
    latte.refresh_from_db()
    assert (latte.price, latte.is_sold_out) == (Decimal("4.100"), True)
    types = list(Event.objects.filter(location_id=latte.location_id).values_list("type", flat=True))
    assert sorted(types) == ["menu.item_sold_out", "menu.updated"]
    change = latte.history.first()
    assert change.history_user == manager
    delta = change.diff_against(change.prev_record)
    assert {c.field: (c.old, c.new) for c in delta.changes} == {
        "price": (Decimal("3.800"), Decimal("4.100")),
        "is_sold_out": (False, True),
    }


def test_list_editable_shows_prices_in_the_currency_s_places(client, manager, latte):
    client.force_login(manager)

    page = client.get(ITEMS)

    assert b'value="3.80"' in page.content


def test_bulk_actions_mark_sold_out_and_back_in_stock_in_scope_only(client, manager, latte, harbour_latte):
    scone = MenuItemFactory(location=latte.location, name="Scone")
    client.force_login(manager)
    selected = [latte.pk, scone.pk, harbour_latte.pk]

    client.post(ITEMS, {"action": "mark_sold_out", "_selected_action": selected})
    sold_out = set(MenuItem.objects.filter(is_sold_out=True))
    client.post(ITEMS, {"action": "back_in_stock", "_selected_action": [scone.pk]})

    assert sold_out == {latte, scone}
    assert set(MenuItem.objects.filter(is_sold_out=True)) == {latte}
    assert latte.history.first().history_user == manager
    types = Event.objects.filter(location_id=latte.location_id).order_by("seq").values_list("type", flat=True)
    assert list(types) == ["menu.item_sold_out", "menu.item_sold_out", "menu.item_back_in_stock"]


def test_modifier_bulk_action_marks_oat_milk_sold_out(client, manager, milk):
    oat = milk.modifiers.get(name="Oat milk")
    client.force_login(manager)

    client.post("/admin/menu/modifier/", {"action": "mark_sold_out", "_selected_action": [oat.pk]})

    oat.refresh_from_db()
    assert oat.is_sold_out


def group_form(location, name="Size", minimum=1, maximum=1, required=True) -> dict:
    data = {"location": location.pk, "name": name, "min_selections": minimum, "max_selections": maximum}
    data["sort_order"] = 0
    if required:
        data["is_required"] = "on"
    return data


def test_required_group_without_modifiers_is_refused_in_admin(client, manager, location):
    client.force_login(manager)

    page = client.post(f"{GROUPS}add/", group_form(location) | management("modifiers", []))

    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "A required group needs at least one modifier."
    ]
    assert not ModifierGroup.objects.exists()


def test_required_group_is_added_with_its_modifiers_in_admin(client, manager, location):
    client.force_login(manager)
    rows = [
        {"name": "Small", "price_delta": "-0.40", "sort_order": 0},
        {"name": "Large", "price_delta": "0.60", "sort_order": 1},
    ]

    response = client.post(f"{GROUPS}add/", group_form(location) | management("modifiers", rows))

    assert response.status_code == 302
    size = ModifierGroup.objects.get(name="Size")
    assert size.is_required
    assert sorted(size.modifiers.values_list("name", flat=True)) == ["Large", "Small"]
    assert size.history.get().history_user == manager


def test_group_made_required_while_its_first_modifier_is_added(client, manager, location):
    size = ModifierGroupFactory(location=location, name="Size")
    client.force_login(manager)
    rows = [{"name": "Regular", "price_delta": "0", "sort_order": 0}]

    response = client.post(f"{GROUPS}{size.pk}/change/", group_form(location) | management("modifiers", rows))

    assert response.status_code == 302
    size.refresh_from_db()
    assert size.is_required
    assert list(size.modifiers.values_list("name", flat=True)) == ["Regular"]


def test_deleting_every_modifier_of_a_required_group_is_refused_in_admin(client, manager, location):
    size = ModifierGroupFactory(location=location, name="Size", min_selections=1, is_required=True)
    regular = ModifierFactory(group=size, name="Regular")
    client.force_login(manager)
    rows = [{"id": regular.pk, "group": size.pk, "name": "Regular", "price_delta": "0", "DELETE": "on"}]

    page = client.post(f"{GROUPS}{size.pk}/change/", group_form(location) | management("modifiers", rows, initial=1))

    assert page.status_code == 200
    assert size.modifiers.count() == 1


def test_category_is_added_with_items_inline(client, manager, location):
    client.force_login(manager)
    rows = [
        {"name": "Scone", "sku": "SCO", "price": "2.40", "tax_rate": "5.50", "station": "NONE", "sort_order": 0},
        {"name": "Muffin", "sku": "MUF", "price": "2.80", "tax_rate": "5.50", "station": "NONE", "sort_order": 1},
    ]
    form = {"location": location.pk, "name": "Bakery", "sort_order": 0, "is_active": "on"}

    response = client.post(f"{CATEGORIES}add/", form | management("items", rows))

    assert response.status_code == 302
    bakery = Category.objects.get(name="Bakery")
    assert {(i.sku, i.location_id, i.station) for i in bakery.items.all()} == {
        ("SCO", location.id, "NONE"),
        ("MUF", location.id, "NONE"),
    }


def test_inline_item_with_a_taken_sku_is_refused(client, manager, location, latte):
    client.force_login(manager)
    rows = [
        {"name": "Scone", "sku": latte.sku, "price": "2.40", "tax_rate": "5.50", "station": "NONE", "sort_order": 0}
    ]
    form = {"location": location.pk, "name": "Bakery", "sort_order": 0}

    page = client.post(f"{CATEGORIES}add/", form | management("items", rows))

    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.errors == [
        {"sku": [f"SKU {latte.sku} is already used by another item at this location."]}
    ]
    assert not Category.objects.filter(name="Bakery").exists()


def test_history_is_visible_in_admin_and_a_revert_goes_through_the_service(client, manager, latte):
    client.force_login(manager)
    client.post(f"{ITEMS}{latte.pk}/change/", item_form(latte, price="4.50"))
    original = latte.history.earliest()

    history = client.get(f"{ITEMS}{latte.pk}/history/")
    revert = client.post(f"{ITEMS}{latte.pk}/history/{original.history_id}/", item_form(latte, price="3.80"))

    assert history.status_code == 200
    assert manager.full_name.encode() in history.content
    assert revert.status_code == 302
    latte.refresh_from_db()
    assert latte.price == Decimal("3.800")
    assert latte.history.first().history_user == manager


def test_history_of_another_location_s_item_is_refused(client, manager, harbour_latte):
    client.force_login(manager)

    assert client.get(f"{ITEMS}{harbour_latte.pk}/history/").status_code == 403
    first = harbour_latte.history.get()
    assert client.get(f"{ITEMS}{harbour_latte.pk}/history/{first.history_id}/").status_code == 403


def test_every_menu_page_renders_for_an_owner(client, owner, latte, milk):
    client.force_login(owner)
    oat = milk.modifiers.get(name="Oat milk")
    pages = [
        ITEMS,
        f"{ITEMS}add/",
        f"{ITEMS}{latte.pk}/change/",
        f"{ITEMS}csv/",
        CATEGORIES,
        f"{CATEGORIES}add/",
        f"{CATEGORIES}{latte.category_id}/change/",
        GROUPS,
        f"{GROUPS}add/",
        f"{GROUPS}{milk.pk}/change/",
        f"{GROUPS}{milk.pk}/history/",
        "/admin/menu/modifier/",
        f"/admin/menu/modifier/{oat.pk}/change/",
    ]

    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)


@pytest.mark.parametrize("object_id", ["1.5", "NaN", "0001-01-01", "1%00", "9" * 5000])
def test_the_history_of_an_id_that_is_no_id_is_a_404(client, manager, latte, object_id):
    client.force_login(manager)

    assert client.get(f"{ITEMS}{object_id}/history/").status_code == 404
    assert client.get(f"{ITEMS}{latte.pk}/history/").status_code == 200


def test_item_form_refuses_a_modifier_group_id_past_bigint(client, manager, latte):
    client.force_login(manager)

    page = client.post(f"{ITEMS}{latte.pk}/change/", item_form(latte, modifier_groups=["9" * 25]))

    assert page.status_code == 200
    assert list(page.context["adminform"].form.errors) == ["modifier_groups"]


# Two cafes, one owner: every choice and filter names its location --------------------------------------


@pytest.fixture
def two_cafes(location, other_location):
    """Both cafes have a "Coffee" category and a "Size" group, as a chain's menus do."""
    return {
        place: (CategoryFactory(location=place, name="Coffee"), ModifierGroupFactory(location=place, name="Size"))
        for place in (location, other_location)
    }


def test_add_forms_name_the_location_of_each_category_and_group(client, owner, two_cafes):
    client.force_login(owner)

    form = client.get(f"{ITEMS}add/").context["adminform"].form

    categories = {label for _, label in form.fields["category"].choices if label != "---------"}
    groups = {label for _, label in form.fields["modifier_groups"].choices}
    modifier_form = client.get("/admin/menu/modifier/add/").context["adminform"].form
    assert categories == {"Coffee — Central", "Coffee — Harbour"}
    assert groups == {"Size — Central", "Size — Harbour"}
    assert {label for _, label in modifier_form.fields["group"].choices} == {"---------", *groups}


def test_changelist_filters_name_the_location(client, owner, two_cafes):
    for category, group in two_cafes.values():
        MenuItemFactory(category=category, modifier_groups=[group])
        ModifierFactory(group=group, name=f"Large {group.location}")
    client.force_login(owner)

    item_filters = client.get(ITEMS).content.decode()
    modifier_filters = client.get("/admin/menu/modifier/").content.decode()

    assert "Coffee — Central" in item_filters and "Coffee — Harbour" in item_filters
    assert "Size — Central" in modifier_filters and "Size — Harbour" in modifier_filters


def test_adding_an_item_with_the_other_cafes_modifier_group_is_a_form_error(client, owner, two_cafes, location):
    (central_coffee, _), (_, harbour_size) = two_cafes.values()
    client.force_login(owner)
    draft = MenuItem(location=location, category=central_coffee, name="Mocha", price=Decimal("4.20"), sku="")

    page = client.post(f"{ITEMS}add/", item_form(draft, modifier_groups=[harbour_size.pk]))

    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "modifier_groups": ["A modifier group of another location cannot be used here."]
    }
    assert not MenuItem.objects.filter(name="Mocha").exists()


def test_moving_an_item_to_the_other_cafes_category_is_a_form_error(client, owner, two_cafes, location):
    (central_coffee, _), (harbour_coffee, _) = two_cafes.values()
    latte = MenuItemFactory(category=central_coffee, name="Latte")
    client.force_login(owner)

    page = client.post(f"{ITEMS}{latte.pk}/change/", item_form(latte, category=harbour_coffee.pk))

    assert page.context["adminform"].form.errors == {"category": ["This category belongs to another location."]}
    latte.refresh_from_db()
    assert latte.category == central_coffee


def test_an_item_added_without_a_sku_gets_the_next_free_one(client, manager, location):
    coffee = CategoryFactory(location=location, name="Coffee")
    MenuItemFactory(category=coffee, sku="ITEM-0002")
    client.force_login(manager)
    draft = MenuItem(location=location, category=coffee, name="Mocha", price=Decimal("4.20"), sku="")

    response = client.post(f"{ITEMS}add/", item_form(draft, modifier_groups=[]))

    assert response.status_code == 302
    assert MenuItem.objects.get(name="Mocha").sku == "ITEM-0003"


def test_a_sku_cannot_be_cleared_once_set(client, manager, latte):
    client.force_login(manager)

    page = client.post(f"{ITEMS}{latte.pk}/change/", item_form(latte, sku=""))

    assert page.context["adminform"].form.errors == {"sku": ["Give the item a SKU."]}
