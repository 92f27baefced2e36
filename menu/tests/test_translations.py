"""Menu content per language: one accessor with a fallback, one rule for what may be stored, and the API, admin,
CSV and demo carrying it; cached menus stay right per language."""

import json
from decimal import Decimal

import pytest

from accounts.tests.api import api_as
from cafepos.exceptions import ApplicationError
from menu import services
from menu.csv_io import menu_export_csv, menu_import_csv
from menu.models import Category, MenuItem, Modifier, ModifierGroup
from menu.tests.factories import CategoryFactory, MenuItemFactory, ModifierFactory, ModifierGroupFactory

pytestmark = pytest.mark.django_db

GERMAN_LATTE = {"de": {"name": "Milchkaffee", "description": "Mit viel Milch"}}


@pytest.fixture
def latte(location):
    group = ModifierGroupFactory(location=location, name="Milk", translations={"de": {"name": "Milch"}})
    ModifierFactory(group=group, name="Oat milk", translations={"de": {"name": "Hafermilch"}})
    item = MenuItemFactory(
        location=location,
        category=CategoryFactory(location=location, name="Coffee"),
        name="Caffè latte",
        description="Lots of milk",
        price=Decimal("3.80"),
        modifier_groups=[group],
    )
    services.menu_item_update(item=item, data={"translations": GERMAN_LATTE})
    category = item.category
    services.category_update(category=category, data={"translations": {"de": {"name": "Kaffee"}}})
    item.refresh_from_db()
    return item


def test_the_accessor_gives_the_translation_or_falls_back_to_the_stored_value(latte):
    assert latte.translated("name", "de") == "Milchkaffee"
    assert latte.translated("description", "de") == "Mit viel Milch"
    assert latte.translated("name", "fr") == "Caffè latte"
    assert latte.translated("name", None) == "Caffè latte"
    latte.translations = {"de": {"description": "Mit viel Milch"}}
    assert latte.translated("name", "de") == "Caffè latte"


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ({"xx": {"name": "?"}}, "Unknown language 'xx'"),
        ({"de": {"price": "1"}}, "'price' cannot be translated"),
        ({"de": {"name": "x" * 151}}, "at most 150 characters for the name"),
        ({"de": {"description": "x" * 2001}}, "at most 2000 characters for the description"),
        ({"de": {"name": 5}}, "name must be text"),
        ({"de": "Milchkaffee"}, "give an object of fields"),
        (["de"], "Give an object of languages"),
        ({"d" * 10_000: {"name": "?"}}, "Unknown language"),
    ],
)
def test_translations_outside_the_rule_are_refused_with_a_field_message(latte, translations, message):
    with pytest.raises(ApplicationError) as refused:
        services.menu_item_update(item=latte, data={"translations": translations})

    assert refused.value.code == "menu_item.invalid"
    assert any(message in text for text in refused.value.fields["translations"])
    assert all(len(text) < 300 for text in refused.value.fields["translations"])  # no echo of a huge input
    latte.refresh_from_db()
    assert latte.translations == GERMAN_LATTE


def test_translations_are_kept_as_visible_text_and_empty_ones_dropped(location):
    group = services.modifier_group_create(
        location=location,
        name="Size",
        translations={"de": {"name": " \u202eGröße\u200b "}, "fr": {"name": ""}},
        modifiers=[{"name": "Large", "translations": {"de": {"name": "Groß\x00"}}}],
    )

    assert ModifierGroup.objects.get(pk=group.pk).translations == {"de": {"name": "Größe"}}
    assert Modifier.objects.get(group=group).translations == {"de": {"name": "Groß"}}


def test_categories_and_modifiers_translate_only_their_name(location):
    with pytest.raises(ApplicationError) as refused:
        services.category_create(location=location, name="Tea", translations={"de": {"description": "Tee"}})

    assert "'description' cannot be translated" in refused.value.fields["translations"][0]
    assert not Category.objects.filter(name="Tea").exists()


# -- the API ----------------------------------------------------------------------------------------------------


def shown(menu: dict) -> dict:
    category = menu["categories"][0]
    item = category["items"][0]
    group = item["modifier_groups"][0]
    return {
        "category": (category["name"], category["display_name"]),
        "item": (item["name"], item["display_name"], item["display_description"]),
        "group": (group["name"], group["display_name"]),
        "modifier": (group["modifiers"][0]["name"], group["modifiers"][0]["display_name"]),
    }


def test_the_menu_api_adds_the_requested_language_and_keeps_the_stored_names(manager, latte):
    client = api_as(manager)

    german = client.get("/api/v1/menu/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    french = client.get("/api/v1/menu/", HTTP_ACCEPT_LANGUAGE="fr")
    german_again = client.get("/api/v1/menu/", HTTP_ACCEPT_LANGUAGE="de")  # each language its own cached body

    assert german["Content-Language"] == "de" and "Accept-Language" in german["Vary"]
    assert (
        shown(german.json())
        == shown(german_again.json())
        == {
            "category": ("Coffee", "Kaffee"),
            "item": ("Caffè latte", "Milchkaffee", "Mit viel Milch"),
            "group": ("Milk", "Milch"),
            "modifier": ("Oat milk", "Hafermilch"),
        }
    )
    assert shown(french.json())["item"] == ("Caffè latte", "Caffè latte", "Lots of milk")
    assert french.json()["categories"][0]["items"][0]["translations"] == GERMAN_LATTE


def test_a_changed_translation_reaches_every_cached_language_at_once(manager, latte):
    client = api_as(manager)
    client.get("/api/v1/menu/", HTTP_ACCEPT_LANGUAGE="de")

    services.menu_item_update(item=latte, data={"translations": {"de": {"name": "Latte macchiato"}}})

    item = client.get("/api/v1/menu/", HTTP_ACCEPT_LANGUAGE="de").json()["categories"][0]["items"][0]
    assert (item["display_name"], item["display_description"]) == ("Latte macchiato", "Lots of milk")


def test_one_menu_item_is_localized_too(manager, latte):
    item = api_as(manager).get(f"/api/v1/menu/items/{latte.pk}/", HTTP_ACCEPT_LANGUAGE="de").json()

    assert (item["name"], item["display_name"]) == ("Caffè latte", "Milchkaffee")


def test_a_cold_menu_read_costs_the_same_queries_in_any_language(manager, latte, django_assert_max_num_queries):
    client = api_as(manager)
    client.get("/api/v1/me/")  # the caller's access cached

    with django_assert_max_num_queries(5):  # the four of the menu, and the caller's location
        assert client.get("/api/v1/menu/", HTTP_ACCEPT_LANGUAGE="de").status_code == 200


def test_the_schema_documents_the_localized_and_the_stored_values(manager):
    schema = api_as(manager).get("/api/v1/schema/?format=json").json()

    item = schema["components"]["schemas"]["MenuItem"]["properties"]
    assert {"name", "description", "display_name", "display_description", "translations"} <= set(item)


# -- CSV ----------------------------------------------------------------------------------------------------------


def test_the_csv_carries_translations_and_a_round_trip_changes_nothing(location, latte):
    exported = menu_export_csv(location=location)

    header = exported.splitlines()[0].split(",")
    assert header[-2:] == ["name_de", "description_de"]  # the languages the items are translated to
    assert "Milchkaffee" in exported
    assert menu_import_csv(location=location, content=exported).unchanged == 1


def test_a_csv_translation_column_sets_one_language_and_leaves_the_others(location, latte):
    lines = menu_export_csv(location=location).splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    rows[0]["name_fr"] = "Café au lait"
    columns = [column for column in header if column not in ("name_de", "description_de")] + ["name_fr"]
    content = "\n".join([",".join(columns), *(",".join(row[column] for column in columns) for row in rows)])

    assert menu_import_csv(location=location, content=content).updated == 1

    latte.refresh_from_db()
    assert latte.translations == {**GERMAN_LATTE, "fr": {"name": "Café au lait"}}


def test_an_over_long_csv_translation_refuses_the_file_naming_the_line(location, latte):
    exported = menu_export_csv(location=location).replace("Milchkaffee", "M" * 151)

    with pytest.raises(ApplicationError) as refused:
        menu_import_csv(location=location, content=exported)

    assert refused.value.fields["file"][0].startswith("Line 2: translations: de: use at most 150 characters")


# -- admin --------------------------------------------------------------------------------------------------------


def test_a_manager_edits_translations_in_the_admin_and_is_told_what_is_wrong(client, manager, latte):
    from menu.tests.test_admin import item_form

    client.force_login(manager)
    url = f"/admin/menu/menuitem/{latte.pk}/change/"
    assert 'name="translations"' in client.get(url).content.decode()

    refused = client.post(url, item_form(latte, translations=json.dumps({"klingon": {"name": "?"}})))
    saved = client.post(url, item_form(latte, translations=json.dumps({"it": {"name": "Caffellatte"}})))

    assert refused.status_code == 200 and "Unknown language" in refused.content.decode()
    assert saved.status_code == 302
    assert MenuItem.objects.get(pk=latte.pk).translations == {"it": {"name": "Caffellatte"}}
