"""The one formatter: money, numbers, dates and times as the reader writes them, with Babel (CLDR).

Pages format in JavaScript with `static/cafepos/money_format.js`, fed by `money_format_spec` (Babel's own
pattern and symbols, handed over in `json_script`), never with the browser's Intl: browsers ship other CLDR
data (French grouping is U+202F in Babel, U+00A0 in some browsers), and server and page must print the same
string. `cafepos/tests/test_money_format_js.py` holds them equal.
"""

import datetime
from decimal import Decimal
from functools import cache

from babel import Locale, dates, numbers
from django.utils import translation

from cafepos.locales import babel_locale
from cafepos.money import currency_places, quantize_money


def locale_for(location=None, language: str | None = None) -> Locale:
    """The locale a reader of `location`'s pages reads: the active language (or `language`) as spoken in the
    location's country (German at a cafe in Austria: de_AT)."""
    language = language or translation.get_language() or getattr(location, "language", "") or "en"
    return _cached_locale(language.split("-")[0].lower(), getattr(location, "country", "") or "")


@cache
def _cached_locale(language: str, country: str) -> Locale:
    return babel_locale(language, country)


def format_money(amount: Decimal, currency: str, locale: Locale) -> str:
    """ "1.234,50 €" (de_DE), "€1,234.50" (en_IE): rounded to the currency's minor unit first (JPY none, KWD
    three), a zero never signed."""
    amount = quantize_money(amount, currency)
    if not amount:
        amount = abs(amount)
    return numbers.format_currency(amount, currency, locale=locale, currency_digits=True)


def format_number(value, locale: Locale) -> str:
    """A plain number (a quantity, a tax rate) with the locale's symbols: "1.234,5" in German."""
    return numbers.format_decimal(value, locale=locale)


def format_rate(rate, locale: Locale) -> str:
    """A tax rate as the locale writes a number, its trailing zeros dropped: "5,5" in German for 5.50, "10" for
    10.00 (the page's twin: money_format.js `rate`)."""
    return numbers.format_decimal(Decimal(rate), format="0.##", locale=locale)


def format_datetime(value: datetime.datetime, location, locale: Locale, format: str = "short") -> str:
    return dates.format_datetime(value, format, tzinfo=location.zone, locale=locale)


def format_date(value: datetime.date | datetime.datetime, location, locale: Locale, format: str = "short") -> str:
    if isinstance(value, datetime.datetime):
        value = value.astimezone(location.zone).date()
    return dates.format_date(value, format, locale=locale)


def format_time(value: datetime.datetime, location, locale: Locale, format: str = "short") -> str:
    return dates.format_time(value, format, tzinfo=location.zone, locale=locale)


@cache
def _money_spec(locale_name: str, currency: str) -> dict:
    locale = Locale.parse(locale_name)
    pattern = locale.currency_formats["standard"]
    symbol = numbers.get_currency_symbol(currency, locale)

    def resolved(text: str) -> str:
        # As NumberPattern.apply does on the whole string; the quotes go after the number is placed (the page
        # does that step, on the whole string too).
        return text.replace("¤¤", currency.upper()).replace("¤", symbol)

    return {
        "locale": locale_name,
        "currency": currency,
        "pattern": pattern.pattern,
        "symbol": symbol,
        "digits": currency_places(currency),
        "decimal": numbers.get_decimal_symbol(locale),
        "group": numbers.get_group_symbol(locale),
        "minus": numbers.get_minus_sign_symbol(locale),
        "grouping": list(pattern.grouping),
        "min_int": pattern.int_prec[0],
        "positive": [resolved(pattern.prefix[0]), resolved(pattern.suffix[0])],
        "negative": [resolved(pattern.prefix[1]), resolved(pattern.suffix[1])],
    }


def date_format_spec(locale: Locale, location) -> dict:
    """What `date_format.js` needs to print what the short `format_datetime`, `format_date` and `format_time`
    print: Babel's short patterns for the locale, its AM and PM, and the location's time zone."""
    periods = locale.day_periods["format"]["abbreviated"]
    return {
        "locale": str(locale),
        "time_zone": location.time_zone,
        "date": locale.date_formats["short"].pattern,
        "time": locale.time_formats["short"].pattern,
        "datetime": str(locale.datetime_formats["short"]).replace("'", ""),
        "am": periods["am"],
        "pm": periods["pm"],
    }


def money_format_spec(locale: Locale, currency: str) -> dict:
    """Everything `money_format.js` needs to print what `format_money` prints: Babel's currency pattern for
    the locale (prefix and suffix of each sign, the symbol in place), its decimal and group symbols, grouping
    sizes and the currency's minor digits."""
    return dict(_money_spec(str(locale), currency))
