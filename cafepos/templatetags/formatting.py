"""Template filters of the one formatter (cafepos/formatting.py), for pages, receipts and printable pages.

    {% load formatting %}
    {{ order.total|money:location }}      1.234,50 €   (the location's currency and country, the active language)
    {{ amount|money:"JPY" }}              ¥1,235       (a currency code: the active language alone)
    {{ z.cash_in|minor_money:location }}  an integer of minor units, as the API and representations carry
    {{ order.created_at|local_datetime:location }}   04.12.26, 21:09 (the location's time zone; also
    local_date and local_time)
    {{ quantity|number }}                 1.234,5
    {{ rate|rate:location }}              5,5          (a tax rate, trailing zeros dropped)

Wrap a guest's page in `{% language location.language %}` to print it in the location's language.
"""

from decimal import Decimal, InvalidOperation

from django import template

from cafepos import formatting
from cafepos.money import from_minor_units

register = template.Library()


def _currency_and_locale(where):
    if isinstance(where, str):
        return where, formatting.locale_for()
    return where.currency, formatting.locale_for(where)


@register.filter
def money(amount, where):
    """`amount` (a Decimal, or its text) in `where`'s currency: a location, or a currency code."""
    if amount is None or amount == "":
        return ""
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    currency, locale = _currency_and_locale(where)
    return formatting.format_money(amount, currency, locale)


@register.filter
def rate(value, where):
    """A tax rate (a Decimal, or its text) as `where`'s locale writes a number."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return formatting.format_rate(value, _currency_and_locale(where)[1])


@register.filter
def minor_money(minor, where):
    """An integer of minor units (the API's money) in `where`'s currency."""
    if minor is None or minor == "":
        return ""
    currency, locale = _currency_and_locale(where)
    return formatting.format_money(from_minor_units(int(minor), currency), currency, locale)


@register.filter
def local_datetime(value, location):
    return formatting.format_datetime(value, location, formatting.locale_for(location)) if value else ""


@register.filter
def local_date(value, location):
    return formatting.format_date(value, location, formatting.locale_for(location)) if value else ""


@register.filter
def local_time(value, location):
    return formatting.format_time(value, location, formatting.locale_for(location)) if value else ""


@register.filter
def number(value):
    return formatting.format_number(value, formatting.locale_for()) if value not in (None, "") else ""
