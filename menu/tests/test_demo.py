import pytest

from menu import demo
from menu.models import Category, MenuItem, ModifierGroup, Station
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
