"""Where a location is and what it speaks: the country and language choices, and the Babel locale they make."""

from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings

# CLDR territories that are not ISO 3166 countries (regions, groupings, unknown).
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code → English name, from Babel's CLDR data."""
    territories = Locale("en").territories
    return {
        code: territories[code]
        for code in sorted(territories)
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def country_choices() -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})") for code, name in sorted(country_names().items(), key=lambda item: item[1])]


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def babel_locale(language: str, country: str = "") -> Locale:
    """The locale that formats for `language` spoken in `country` (German in Austria: de_AT), or the
    language's own when CLDR has no such pair (English in France: en)."""
    try:
        return Locale.parse(f"{language}_{country}" if country else language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)
