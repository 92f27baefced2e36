"""The menu's rules, enforced by the services whoever calls them, and the events they announce."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import LocationFactory, UserFactory
from cafepos.exceptions import ApplicationError
from cafepos.models import Event
from menu import services
from menu.models import MenuItem, Modifier, ModifierGroup, Station
from menu.tests.factories import CategoryFactory, MenuItemFactory, ModifierFactory, ModifierGroupFactory

pytestmark = pytest.mark.django_db


def create_item(location, **fields):
    defaults = {"category": CategoryFactory(location=location), "name": "Latte", "price": Decimal("3.80"), "sku": "LAT"}
    return services.menu_item_create(location=location, **{**defaults, **fields})


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def events(location, type=None):
    rows = Event.objects.filter(location_id=location.id).order_by("seq")
    return list(rows.filter(type=type) if type else rows)


def test_negative_price_is_refused(location):
    error = refusal(lambda: create_item(location, price=Decimal("-0.50")))

    assert error.code == "menu_item.invalid"
    assert error.fields == {"price": ["A price cannot be negative."]}
    assert not MenuItem.objects.exists()


def test_price_finer_than_the_currency_is_refused(location):
    yen = LocationFactory(currency="JPY")

    euro_error = refusal(lambda: create_item(location, price=Decimal("3.505")))
    yen_error = refusal(lambda: create_item(yen, price=Decimal("350.5")))

    assert euro_error.fields["price"] == ["Use at most 2 decimal places for EUR."]
    assert yen_error.fields["price"] == ["Use whole amounts for JPY."]
    assert create_item(yen, price=Decimal("350")).price == Decimal("350")


def test_duplicate_sku_is_refused_within_a_location_but_not_across(location, other_location):
    create_item(location, sku="LAT")

    error = refusal(lambda: create_item(location, sku="LAT", name="Another latte"))

    assert error.fields == {"sku": ["SKU LAT is already used by another item at this location."]}
    assert create_item(other_location, sku="LAT").sku == "LAT"


def test_category_and_modifier_groups_of_another_location_are_refused(location, other_location):
    foreign_category = CategoryFactory(location=other_location)
    foreign_group = ModifierGroupFactory(location=other_location)

    error = refusal(lambda: create_item(location, category=foreign_category, modifier_groups=[foreign_group]))

    assert error.fields == {
        "category": ["This category belongs to another location."],
        "modifier_groups": ["A modifier group of another location cannot be used here."],
    }


def test_group_with_minimum_above_maximum_is_refused(location):
    error = refusal(
        lambda: services.modifier_group_create(
            location=location, name="Size", min_selections=2, max_selections=1, is_required=True
        )
    )

    assert error.code == "modifier_group.invalid"
    assert error.fields["min_selections"] == ["The minimum cannot be above the maximum."]


def test_required_group_without_modifiers_is_refused(location):
    error = refusal(
        lambda: services.modifier_group_create(location=location, name="Size", min_selections=1, is_required=True)
    )

    assert error.code == "modifier_group.not_enough_modifiers"
    assert error.message == "A required group needs at least one modifier."
    assert not ModifierGroup.objects.exists()


def test_required_group_needs_a_minimum_and_a_minimum_means_required(location):
    no_minimum = refusal(lambda: services.modifier_group_create(location=location, name="Size", is_required=True))
    not_marked = refusal(lambda: services.modifier_group_create(location=location, name="Size", min_selections=1))

    assert no_minimum.fields["min_selections"] == ["A required group needs a minimum of at least 1."]
    assert not_marked.fields["is_required"] == ["A group with a minimum of 1 or more must be marked required."]


def test_required_group_is_created_with_its_modifiers(location):
    group = services.modifier_group_create(
        location=location,
        name="Size",
        min_selections=1,
        is_required=True,
        modifiers=[
            {"name": "Small", "price_delta": Decimal("-0.40")},
            {"name": "Large", "price_delta": Decimal("0.60")},
        ],
    )

    assert [(m.name, m.price_delta) for m in group.modifiers.order_by("name")] == [
        ("Large", Decimal("0.600")),
        ("Small", Decimal("-0.400")),
    ]


def test_last_modifier_of_a_required_group_cannot_be_deleted(location):
    group = ModifierGroupFactory(location=location, min_selections=1, is_required=True)
    first, second = ModifierFactory(group=group), ModifierFactory(group=group)
    services.modifier_delete(modifier=first)

    error = refusal(lambda: services.modifier_delete(modifier=second))

    assert error.message == "A required group needs at least one modifier."
    assert list(group.modifiers.all()) == [second]


def test_making_an_empty_group_required_is_refused(location):
    group = ModifierGroupFactory(location=location)

    error = refusal(
        lambda: services.modifier_group_update(group=group, data={"min_selections": 1, "is_required": True})
    )

    assert error.code == "modifier_group.not_enough_modifiers"
    group.refresh_from_db()
    assert not group.is_required


def test_modifier_may_lower_the_price_but_not_finer_than_the_currency(location, milk):
    services.modifier_create(group=milk, name="No milk", price_delta=Decimal("-0.20"))

    error = refusal(lambda: services.modifier_create(group=milk, name="Cream", price_delta=Decimal("0.125")))

    assert error.fields == {"price_delta": ["Use at most 2 decimal places for EUR."]}


def test_category_with_items_cannot_be_deleted(location):
    item = MenuItemFactory(location=location)

    error = refusal(lambda: services.category_delete(category=item.category))

    assert error.code == "category.not_empty"
    assert error.status == 409


def test_sold_out_and_back_in_stock_are_announced_once(location):
    item = MenuItemFactory(location=location, name="Croissant", station=Station.NONE)
    barista = UserFactory()

    services.menu_item_mark_sold_out(item=item, by=barista)
    services.menu_item_mark_sold_out(item=item, by=barista)  # already 86'd: nothing happens
    services.menu_item_back_in_stock(item=item, by=barista)

    assert [(e.type, e.data) for e in events(location)] == [
        ("menu.item_sold_out", {"entity": "menu_item", "id": item.id, "name": "Croissant"}),
        ("menu.item_back_in_stock", {"entity": "menu_item", "id": item.id, "name": "Croissant"}),
    ]
    assert item.history.count() == 3  # created, sold out, back in stock


def test_modifier_sold_out_is_announced_with_its_group(location, milk):
    oat = milk.modifiers.get(name="Oat milk")

    services.modifier_mark_sold_out(modifier=oat, by=None)

    (event,) = events(location)
    assert event.type == "menu.item_sold_out"
    assert event.data == {"entity": "modifier", "id": oat.id, "name": "Oat milk", "group_id": milk.id}
    assert Modifier.objects.get(pk=oat.pk).is_sold_out


def test_update_announces_menu_updated_and_an_unchanged_update_writes_nothing(location, milk):
    item = MenuItemFactory(location=location, price=Decimal("3.50"))

    services.menu_item_update(item=item, data={"price": Decimal("3.80"), "modifier_groups": [milk]})
    services.menu_item_update(item=item, data={"price": Decimal("3.80"), "modifier_groups": [milk]})

    assert [e.type for e in events(location)] == ["menu.updated"]
    item.refresh_from_db()
    assert item.price == Decimal("3.80")
    assert list(item.modifier_groups.all()) == [milk]


def test_updating_a_field_a_service_does_not_own_is_a_programming_error(location):
    item = MenuItemFactory(location=location)

    with pytest.raises(ValueError, match="location"):
        services.menu_item_update(item=item, data={"location": LocationFactory()})


@pytest.mark.parametrize("rate", [Decimal("-0.01"), Decimal("100.01")])
def test_the_database_refuses_a_tax_rate_out_of_range_even_past_the_services(rate):
    item = MenuItemFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.filter(pk=item.pk).update(tax_rate=rate)
