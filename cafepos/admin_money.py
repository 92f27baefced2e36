"""Admin pages that show a stored amount as its location's readers write it: "14,22 €", not "14.220"."""

from functools import cached_property
from operator import attrgetter

from django.contrib import admin
from django.db import models

from cafepos.formatting import format_money, locale_for
from cafepos.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, SUM_MAX_DIGITS


def money_text(amount, location) -> str:
    """An amount in the currency of `location`, in the active language as written in the location's country."""
    return "" if amount is None else format_money(amount, location.currency, locale_for(location))


def _money_column(field: models.DecimalField, location: str):
    """A column or read-only entry for `field`, in the currency of the row's `location` (a dotted path)."""
    location_of = attrgetter(location)

    def column(obj):
        return money_text(getattr(obj, field.name), location_of(obj))

    column.__name__ = f"{field.name}_shown"
    return admin.display(description=field.verbose_name, ordering=field.name)(column)


def is_money(field) -> bool:
    """A stored amount: a Decimal at the storage precision, as wide as one amount or a sum of many."""
    return (
        isinstance(field, models.DecimalField)
        and field.decimal_places == MONEY_DECIMAL_PLACES
        and field.max_digits in (MONEY_MAX_DIGITS, SUM_MAX_DIGITS)
    )


class MoneyFieldsAdmin:
    """A model admin or inline whose money fields read as money wherever they are shown, not edited: columns of
    `list_display` and read-only fields. Set `money_location` to the dotted path from a row to its location."""

    money_location = "location"

    @cached_property
    def _money_columns(self) -> dict:
        """One callable per field, kept: Django matches a page's fields with its read-only ones by identity."""
        return {
            field.name: _money_column(field, self.money_location)
            for field in self.model._meta.fields
            if is_money(field)
        }

    def _as_money(self, names):
        return [self._money_columns.get(name, name) if isinstance(name, str) else name for name in names]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self._money_columns:
            return queryset
        return queryset.select_related(self.money_location.replace(".", "__"))

    def get_list_display(self, request):
        return self._as_money(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._as_money(super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        return list(dict.fromkeys(self._as_money(super().get_fields(request, obj))))
