"""The cached menu: its shape, a fixed number of queries, and invalidation after every committed change."""

from decimal import Decimal

import pytest
from django.db import transaction

from accounts.tests.factories import LocationFactory, UserFactory
from menu import services
from menu.csv_io import menu_export_csv, menu_import_csv
from menu.models import MenuItem, Station
from menu.selectors import menu_for_location
from menu.tests.factories import CategoryFactory, MenuItemFactory, ModifierFactory, ModifierGroupFactory

pytestmark = pytest.mark.django_db

MENU_QUERIES = 4  # categories, items, their modifier groups, the groups' modifiers


def items_of(menu) -> dict:
    return {item["name"]: item for category in menu["categories"] for item in category["items"]}


def test_menu_nests_items_groups_and_modifiers_with_money_in_minor_units(location, milk):
    coffee = CategoryFactory(location=location, name="Coffee")
    MenuItemFactory(category=coffee, name="Latte", price=Decimal("3.80"), station=Station.BAR, modifier_groups=[milk])
    MenuItemFactory(category=coffee, name="Retired blend", is_active=False)
    MenuItemFactory(category=CategoryFactory(location=location, is_active=False), name="Hidden")
    milk.modifiers.filter(name="Oat milk").update(is_sold_out=True, price_delta=Decimal("0.40"))
    MenuItemFactory(location=LocationFactory(), name="Elsewhere")

    menu = menu_for_location(location)

    assert menu["currency"] == "EUR"
    assert [c["name"] for c in menu["categories"]] == ["Coffee"]
    (latte,) = menu["categories"][0]["items"]
    assert latte["price"] == 380
    assert latte["tax_rate"] == "10.00"
    assert latte["station"] == "BAR"
    assert latte["is_sold_out"] is False
    (group,) = latte["modifier_groups"]
    assert group["name"] == "Milk"
    assert {m["name"]: (m["price_delta"], m["is_sold_out"]) for m in group["modifiers"]} == {
        "Whole milk": (50, False),
        "Oat milk": (40, True),
    }


def add_items(location, count):
    groups = [ModifierGroupFactory(location=location) for _ in range(3)]
    for group in groups:
        ModifierFactory.create_batch(3, group=group)
    categories = CategoryFactory.create_batch(3, location=location)
    for n in range(count):
        MenuItemFactory(category=categories[n % 3], modifier_groups=groups[: n % 4])


@pytest.mark.parametrize("count", [5, 50])
def test_menu_is_built_with_the_same_number_of_queries_whatever_its_size(location, count, django_assert_num_queries):
    add_items(location, count)

    with django_assert_num_queries(MENU_QUERIES):
        menu = menu_for_location(location)

    assert len(items_of(menu)) == count


def test_cached_menu_is_served_without_a_query(location, django_assert_num_queries):
    add_items(location, 5)
    first = menu_for_location(location)

    with django_assert_num_queries(0):
        assert menu_for_location(location) == first


def read_twice_then_change(location, other_location, change, django_assert_num_queries, capture):
    """Cache both menus, apply `change` to `location` and commit; return the new menu of `location`."""
    menu_for_location(location)
    menu_for_location(other_location)
    with capture(execute=True):
        change()
    with django_assert_num_queries(0):
        menu_for_location(other_location)  # untouched: still cached, not rebuilt
    return menu_for_location(location)


@pytest.fixture
def latte(location, milk):
    return MenuItemFactory(location=location, name="Latte", price=Decimal("3.80"), modifier_groups=[milk])


@pytest.fixture
def after(location, other_location, latte, django_assert_num_queries, django_capture_on_commit_callbacks):
    MenuItemFactory(location=other_location, name="Harbour latte")
    return lambda change: read_twice_then_change(
        location, other_location, change, django_assert_num_queries, django_capture_on_commit_callbacks
    )


def test_service_change_is_seen_on_the_next_read(after, latte):
    menu = after(lambda: services.menu_item_mark_sold_out(item=latte, by=UserFactory()))

    assert items_of(menu)["Latte"]["is_sold_out"] is True


def test_plain_model_save_is_seen_on_the_next_read(after, latte):
    def rename():
        latte.name = "Caffè latte"
        latte.save()

    assert "Caffè latte" in items_of(after(rename))


def test_modifier_change_is_seen_on_the_next_read(after, milk):
    oat = milk.modifiers.get(name="Oat milk")

    menu = after(lambda: services.modifier_mark_sold_out(modifier=oat, by=None))

    (group,) = items_of(menu)["Latte"]["modifier_groups"]
    assert {m["name"]: m["is_sold_out"] for m in group["modifiers"]}["Oat milk"] is True


def test_group_detached_from_its_side_is_seen_on_the_next_read(after, milk, latte):
    menu = after(lambda: milk.items.remove(latte))

    assert items_of(menu)["Latte"]["modifier_groups"] == []


def test_deleted_item_is_gone_on_the_next_read(after, latte):
    assert "Latte" not in items_of(after(lambda: services.menu_item_delete(item=latte)))


def test_csv_import_is_seen_on_the_next_read(after, location):
    csv_text = menu_export_csv(location=location).replace("3.80", "4.10")

    menu = after(lambda: menu_import_csv(location=location, content=csv_text))

    assert items_of(menu)["Latte"]["price"] == 410


def test_a_change_rolled_back_is_never_served(location, latte, django_capture_on_commit_callbacks):
    menu_for_location(location)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        latte.price = Decimal("9.99")
        latte.save()
        raise RuntimeError

    # the cache was made stale at the save (the rest of its transaction sees the change), nothing after
    assert callbacks == []
    assert items_of(menu_for_location(location))["Latte"]["price"] == 380


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_committed_change_on_postgres_and_redis_is_seen_and_other_location_is_untouched(django_assert_num_queries):
    central, harbour = LocationFactory(name="Central"), LocationFactory(name="Harbour")
    latte = MenuItemFactory(location=central, name="Latte", price=Decimal("3.80"))
    MenuItemFactory(location=harbour, name="Harbour latte")
    menu_for_location(central)
    harbour_menu = menu_for_location(harbour)

    services.menu_item_update(item=latte, data={"price": Decimal("4.20")}, by=None)  # commits

    assert items_of(menu_for_location(central))["Latte"]["price"] == 420
    with django_assert_num_queries(0):
        assert menu_for_location(harbour) == harbour_menu
    assert MenuItem.objects.get(pk=latte.pk).price == Decimal("4.200")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_menu_cached_in_redis_is_served_without_a_query(django_assert_num_queries):
    central = LocationFactory()
    MenuItemFactory(location=central, name="Latte")
    first = menu_for_location(central)

    with django_assert_num_queries(0):
        assert menu_for_location(central) == first
