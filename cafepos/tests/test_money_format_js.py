"""Server and page print money the same, byte for byte: cafepos/formatting.py (Babel) against its twin
static/cafepos/money_format.js (run in Node) on 500 random amounts in every shipped language, in the countries
that speak it, and in every currency a location may hold."""

import datetime
import random
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

import pytest
from babel import Locale
from babel.numbers import get_currency_precision
from django.conf import settings

from cafepos.formatting import (
    date_format_spec,
    format_date,
    format_datetime,
    format_money,
    format_rate,
    format_time,
    money_format_spec,
)
from cafepos.locales import babel_locale
from cafepos.money import CURRENCY_CHOICES, MONEY_MAX, currency_places, from_minor_units
from cafepos.tests.money_js import page_answers

COUNTRIES = {  # the languages' own countries and a few where they are spoken too
    "en": ["", "IE", "US", "IN"],
    "de": ["DE", "CH"],
    "fr": ["FR", "CH"],
    "es": ["ES"],
    "it": ["IT"],
    "pt": ["PT", "BR"],
    "nl": ["NL"],
    "ar": ["", "EG"],
    "ja": ["JP"],
}
CURRENCIES = sorted({code for code, _ in CURRENCY_CHOICES} | {"USD", "GBP", "CHF", "JPY", "KWD", "EUR"})
SEED = 19


def _locales():
    languages = [code for code, _ in settings.LANGUAGES] + ["ja"]
    return sorted({str(babel_locale(language, country)) for language in languages for country in COUNTRIES[language]})


def _amounts(rng: random.Random, places: int) -> list[int]:
    """500 amounts in minor units: zero, the business cap either side, small and large, half of them negative."""
    cap = int(MONEY_MAX.scaleb(places))
    fixed = [0, 1, -1, cap, -cap, cap - 1, 123450, -123450, 10**places, 999]
    random_ones = [
        rng.choice((1, -1)) * rng.randint(0, 10 ** rng.randint(1, len(str(cap)) - 1)) for _ in range(500 - len(fixed))
    ]
    return [min(max(value, -cap), cap) for value in fixed + random_ones]


def test_server_and_page_print_the_same_money():
    rng = random.Random(SEED)
    specs, cases, expected = {}, [], []
    for locale_name in _locales():
        locale = Locale.parse(locale_name)
        for currency in CURRENCIES:
            key = f"{locale_name}/{currency}"
            specs[key] = money_format_spec(locale, currency)
            for minor in _amounts(rng, currency_places(currency)):
                cases.append([key, str(minor)])
                expected.append(format_money(from_minor_units(minor, currency), currency, locale))
    assert len(cases) >= 500 * 8 * 6

    got = page_answers(specs, format=cases)["format"]

    differ = [
        (key, minor, want, have) for (key, minor), want, have in zip(cases, expected, got, strict=True) if want != have
    ]
    assert not differ, f"{len(differ)} differ, e.g. {differ[:5]}"


@pytest.mark.parametrize(
    ("language", "country", "currency", "amount", "printed"),
    [
        ("de", "DE", "EUR", "1234.50", "1.234,50\xa0€"),
        ("en", "IE", "EUR", "1234.50", "€1,234.50"),
        ("fr", "FR", "EUR", "1234.50", "1\u202f234,50\xa0€"),
        ("ja", "JP", "JPY", "1234.50", "￥1,235"),
        ("en", "", "JPY", "1234.50", "¥1,235"),
        ("en", "IE", "KWD", "14.22", "KWD14.220"),
        ("de", "DE", "EUR", "-3.5", "-3,50\xa0€"),
        ("de", "DE", "EUR", "-0.001", "0,00\xa0€"),
        ("ar", "", "EUR", "-1234.5", "\u200f-1,234.50\xa0€"),
    ],
)
def test_babel_prints_money_as_people_write_it_and_the_page_agrees(language, country, currency, amount, printed):
    locale = babel_locale(language, country)
    spec = money_format_spec(locale, currency)

    server = format_money(Decimal(amount), currency, locale)
    page = page_answers({"s": spec}, formatDecimal=[["s", amount]])["formatDecimal"][0]

    assert server == printed
    assert page == printed


def test_babel_minor_digits_are_the_currencys_places():
    """Babel's currency digits (CLDR) and money.py's places must agree, or the server shows what it does not keep."""
    for currency in CURRENCIES:
        assert get_currency_precision(currency) == currency_places(currency), currency


PARSED = [  # (language, country, currency, typed, the page's reading)
    ("de", "DE", "EUR", "4,50", {"value": 450}),
    ("de", "DE", "EUR", "4.50", {"value": 450}),
    ("de", "DE", "EUR", " 1.234,5 ", {"value": 123450}),
    ("de", "DE", "EUR", "1.234", {"value": 123400}),
    ("de", "DE", "KWD", "1.234", {"error": "ambiguous"}),
    ("de", "DE", "EUR", "4,505", {"error": "places"}),
    ("de", "DE", "EUR", "12.34.5", {"error": "invalid"}),
    ("fr", "FR", "EUR", "1\u202f234,50", {"value": 123450}),
    ("fr", "FR", "EUR", "1 234,50", {"value": 123450}),
    ("en", "IE", "EUR", "1,234.50", {"value": 123450}),
    ("en", "IE", "EUR", "4,50", {"error": "invalid"}),
    ("en", "IE", "JPY", "1,235", {"value": 1235}),
    ("en", "IE", "JPY", "12.5", {"error": "places"}),
    ("en", "IE", "KWD", "14.22", {"value": 14220}),
    ("en", "IE", "EUR", "", {"error": "empty"}),
    ("en", "IE", "EUR", "-4", {"error": "invalid"}),
    ("en", "IE", "EUR", "4e3", {"error": "invalid"}),
    ("en", "IE", "EUR", "1" * 40, {"error": "invalid"}),
    ("en", "IN", "EUR", "12,34,567.00", {"value": 123456700}),
]


def test_the_page_reads_amounts_as_people_type_them():
    specs = {
        f"{lang}_{country}/{currency}": money_format_spec(babel_locale(lang, country), currency)
        for lang, country, currency, *_ in PARSED
    }
    cases = [[f"{lang}_{country}/{currency}", typed] for lang, country, currency, typed, _ in PARSED]

    got = page_answers(specs, parse=cases)["parse"]

    assert got == [reading for *_, reading in PARSED]


def test_an_amount_edited_is_written_with_the_locales_decimal_symbol():
    specs = {
        "de": money_format_spec(babel_locale("de", "DE"), "EUR"),
        "ja": money_format_spec(babel_locale("ja", "JP"), "JPY"),
    }

    got = page_answers(specs, editText=[["de", "450"], ["de", "123450"], ["de", "-5"], ["ja", "1235"]])["editText"]

    assert got == ["4,50", "1234,50", "-0,05", "1235"]


def test_a_difference_and_a_deduction_take_a_true_minus_sign_and_zero_takes_none():
    specs = {
        "en": money_format_spec(babel_locale("en", ""), "EUR"),
        "de": money_format_spec(babel_locale("de", "DE"), "EUR"),
    }

    got = page_answers(
        specs,
        signed=[["en", -87], ["en", 50], ["en", 0], ["de", -123450]],
        deduction=[["en", 87], ["en", 0], ["de", 5]],
    )

    assert got["signed"] == ["\u2212€0.87", "€0.50", "€0.00", "\u22121.234,50\xa0€"]
    assert got["deduction"] == ["\u2212€0.87", "€0.00", "\u22120,05\xa0€"]


RATES = ["0.00", "5.50", "7.00", "10.00", "19.00", "20.00", "21.00", "5.25", "12.30", "99.99", "100.00"]


def test_server_and_page_print_a_tax_rate_the_same():
    specs = {name: money_format_spec(Locale.parse(name), "EUR") for name in _locales()}
    cases = [[name, rate] for name in specs for rate in RATES]

    got = page_answers(specs, rate=cases)["rate"]

    assert got == [format_rate(Decimal(rate), Locale.parse(name)) for name, rate in cases]
    assert [format_rate(Decimal(rate), Locale.parse("de_DE")) for rate in RATES[:4]] == ["0", "5,5", "7", "10"]


def test_server_and_page_print_the_same_dates_and_times_in_the_locations_zone():
    rng = random.Random(SEED)
    zones = ["Europe/Berlin", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Asia/Kuwait", "Pacific/Auckland"]
    specs, cases, expected = {}, [], []
    for locale_name in _locales():
        locale = Locale.parse(locale_name)
        for zone in zones:
            location = SimpleNamespace(time_zone=zone, zone=zoneinfo.ZoneInfo(zone))
            key = f"{locale_name}/{zone}"
            specs[key] = date_format_spec(locale, location)
            for _ in range(40):
                when = datetime.datetime.fromtimestamp(rng.randint(0, 4_102_444_800), tz=datetime.UTC)
                for kind, server in (("datetime", format_datetime), ("date", format_date), ("time", format_time)):
                    cases.append([key, kind, when.isoformat()])
                    expected.append(server(when, location, locale))

    got = page_answers(specs, dates=cases)["dates"]

    differ = [(case, want, have) for case, want, have in zip(cases, expected, got, strict=True) if want != have]
    assert not differ, f"{len(differ)} differ, e.g. {differ[:5]}"
