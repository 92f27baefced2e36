"""Admin list columns that show a stored amount as its location's readers write it: "14,22 €", not "14.220"."""

from operator import attrgetter

from django.contrib import admin

from cafepos.formatting import format_money, locale_for


def money_column(field: str, *, location: str = "location", description: str | None = None):
    """A `list_display` entry for the Decimal `field`, in the currency of the row's `location` (a dotted path:
    select it with `list_select_related`), in the active language as written in the location's country."""
    location_of = attrgetter(location)

    def column(obj):
        amount, where = getattr(obj, field), location_of(obj)
        return "" if amount is None else format_money(amount, where.currency, locale_for(where))

    column.__name__ = f"{field}_shown"
    return admin.display(description=description or field.replace("_", " "), ordering=field)(column)
