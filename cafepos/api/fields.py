"""Serializer fields for the API's conventions: money as an integer of minor units."""

from rest_framework import serializers

from cafepos.money import from_minor_units

MAX_MINOR_UNITS = 10**14  # beyond any till; keeps Decimal conversion and storage in range


class MoneyField(serializers.IntegerField):
    """An amount in minor units of the location's currency in JSON (350 = 3.50 EUR), a Decimal in Python.

    Needs `currency` in the serializer context. `signed=True` allows negative amounts (cash taken out).
    """

    def __init__(self, *, signed: bool = False, **kwargs):
        kwargs.setdefault("min_value", -MAX_MINOR_UNITS if signed else 0)
        kwargs.setdefault("max_value", MAX_MINOR_UNITS)
        kwargs.setdefault("help_text", "Minor units of the location's currency (350 = 3.50 EUR).")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, float):  # 3.5 is not a count of cents: refuse rather than truncate
            self.fail("invalid")
        minor = super().to_internal_value(data)
        self.run_validators(minor)  # bounds before the conversion: 10**28 cents is no Decimal to round
        return from_minor_units(minor, self.context["currency"])
