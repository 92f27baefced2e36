"""Every change to the menu is recorded with who, when and what (django-simple-history), whatever its path."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from menu import services
from menu.models import MenuItem, Modifier
from menu.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def changes(record) -> dict:
    return {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}


def test_service_changes_are_recorded_with_their_author(location, milk):
    chef, manager = UserFactory(), UserFactory()
    item = services.menu_item_create(
        location=location,
        category=CategoryFactory(location=location),
        name="Latte",
        price=Decimal("3.80"),
        sku="LAT",
        by=chef,
    )

    services.menu_item_update(item=item, data={"price": Decimal("4.00"), "name": "Caffè latte"}, by=manager)
    services.menu_item_update(item=item, data={"modifier_groups": [milk]}, by=manager)

    created, priced, grouped = item.history.order_by("history_id")
    assert (created.history_type, created.history_user) == ("+", chef)
    assert (priced.history_user, changes(priced)) == (
        manager,
        {"price": (Decimal("3.800"), Decimal("4.000")), "name": ("Latte", "Caffè latte")},
    )
    assert grouped.history_user == manager
    assert [row.modifiergroup for row in grouped.modifier_groups.all()] == [milk]


def test_deletions_are_recorded_with_their_author(location, milk):
    manager = UserFactory()
    oat = milk.modifiers.get(name="Oat milk")
    oat_id = oat.id

    services.modifier_delete(modifier=oat, by=manager)

    deleted = Modifier.history.filter(id=oat_id).first()
    assert (deleted.history_type, deleted.history_user, deleted.name) == ("-", manager, "Oat milk")


def test_sold_out_is_recorded_for_items_and_modifiers(location, milk):
    manager = UserFactory()
    item = services.menu_item_create(
        location=location, category=CategoryFactory(location=location), name="Scone", price=Decimal("2.40"), sku="SC"
    )
    oat = milk.modifiers.get(name="Oat milk")

    services.menu_item_mark_sold_out(item=item, by=manager)
    services.modifier_mark_sold_out(modifier=oat, by=manager)

    assert changes(MenuItem.objects.get(pk=item.pk).history.first()) == {"is_sold_out": (False, True)}
    assert (oat.history.first().history_user, changes(oat.history.first())) == (manager, {"is_sold_out": (False, True)})
