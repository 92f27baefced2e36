"""Menu factories for every app's tests. Rows are written directly (no services), valid by default.

`MenuItemFactory(category=c)` takes the category's location; `MenuItemFactory(location=l)` creates a category
there; `MenuItemFactory(modifier_groups=[g1, g2])` attaches groups. Money is Decimal.
"""

from decimal import Decimal

import factory

from accounts.tests.factories import LocationFactory
from menu.models import Category, MenuItem, Modifier, ModifierGroup, Station


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    sort_order = factory.Sequence(lambda n: n)


class ModifierGroupFactory(factory.django.DjangoModelFactory):
    """An optional single choice; pass `min_selections=1, is_required=True` for a required one."""

    class Meta:
        model = ModifierGroup

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Modifier group {n}")
    min_selections = 0
    max_selections = 1
    is_required = False


class ModifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Modifier

    group = factory.SubFactory(ModifierGroupFactory)
    name = factory.Sequence(lambda n: f"Modifier {n}")
    price_delta = Decimal("0.50")


class MenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenuItem
        skip_postgeneration_save = True

    location = factory.SubFactory(LocationFactory)
    category = factory.SubFactory(CategoryFactory, location=factory.SelfAttribute("..location"))
    name = factory.Sequence(lambda n: f"Item {n}")
    price = Decimal("3.50")
    tax_rate = Decimal("10.00")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    station = Station.KITCHEN

    @classmethod
    def _generate(cls, strategy, params):
        if "category" in params and "location" not in params:
            params = {**params, "location": params["category"].location}
        return super()._generate(strategy, params)

    @factory.post_generation
    def modifier_groups(self, create, groups, **kwargs):
        if create and groups:
            self.modifier_groups.set(groups)
