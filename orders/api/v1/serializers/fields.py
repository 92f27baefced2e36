"""Fields the orders API's serializers share: ids, order versions, money in minor units, times."""

from rest_framework import serializers

from cafepos.api.params import MAX_ID
from cafepos.text import visible_text


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def version_field():
    return serializers.IntegerField(
        min_value=0, max_value=MAX_ID, help_text="The order's `version` as last read; a stale one is a 409."
    )


def money_field(**kwargs):
    return serializers.IntegerField(help_text="Minor units of `currency`.", **kwargs)


def time_field(**kwargs):
    return serializers.DateTimeField(help_text="ISO 8601 with the location's offset.", **kwargs)


class VisibleTextField(serializers.CharField):
    """Text as it will be stored and read: without invisible characters (`cafepos.text`), trimmed."""

    def to_internal_value(self, data) -> str:
        return visible_text(super().to_internal_value(data), multiline=True).strip()
