import pytest

from menu import demo
from menu.models import Category, MenuItem, Modifier, ModifierGroup, Station
from menu.selectors import menu_for_location

pytestmark = pytest.mark.django_db


def test_demo_menu_is_realistic_and_seeding_twice_changes_nothing(location):
    first = demo.seed(location)
    second = demo.seed(location)

    assert first == second == {"categories": 6, "items": 41, "modifier groups": 4}
    stations = dict(Category.objects.filter(location=location).values_list("name", "items__station").distinct())
    assert stations["Pastries"] == Station.NONE
    assert stations["Coffee"] == stations["Cold drinks"] == Station.BAR
    assert stations["Lunch"] == stations["Breakfast"] == Station.KITCHEN
    assert ModifierGroup.objects.get(location=location, name="Size").is_required
    cappuccino = MenuItem.objects.get(location=location, name="Cappuccino")
    assert {g.name for g in cappuccino.modifier_groups.all()} == {"Size", "Milk", "Extra shots", "Syrup"}
    assert len(menu_for_location(location)["categories"]) == 6


def test_the_demo_menu_has_every_name_in_german(location):
    demo.seed(location)

    rows = [*Category.objects.filter(location=location), *ModifierGroup.objects.filter(location=location)]
    rows += [*MenuItem.objects.filter(location=location), *Modifier.objects.filter(group__location=location)]
    assert all(row.translated("name", "de") for row in rows)
    assert MenuItem.objects.get(location=location, name="Caffè latte").translated("name", "de") == "Milchkaffee"
    assert ModifierGroup.objects.get(location=location, name="Size").translated("name", "de") == "Größe"
    assert sum(row.translated("name", "de") != row.name for row in rows) > len(rows) * 0.7
