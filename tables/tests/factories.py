"""Table factories for every app's tests. `TableFactory(area=a)` takes the area's location."""

import factory

from accounts.tests.factories import LocationFactory
from tables.models import Area, Table


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    sort_order = factory.Sequence(lambda n: n)


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    location = factory.SubFactory(LocationFactory)
    area = factory.SubFactory(AreaFactory, location=factory.SelfAttribute("..location"))
    label = factory.Sequence(lambda n: f"T{n}")
    seats = 4
    grid_x = factory.Sequence(lambda n: n % 10)
    grid_y = factory.Sequence(lambda n: n // 10)

    @classmethod
    def _generate(cls, strategy, params):
        if "area" in params and "location" not in params:
            params = {**params, "location": params["area"].location}
        return super()._generate(strategy, params)
