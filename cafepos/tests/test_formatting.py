"""The one formatter: money, numbers, dates and times as the reader writes them (Babel), and its template filters."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from cafepos.formatting import format_date, format_datetime, format_money, format_time, locale_for, money_format_spec
from cafepos.locales import babel_locale

PARIS_WINTER = datetime.timezone(datetime.timedelta(hours=1))
HARBOUR = SimpleNamespace(currency="EUR", country="DE", language="de", zone=PARIS_WINTER)
CENTRAL = SimpleNamespace(currency="EUR", country="FR", language="en", zone=PARIS_WINTER)
EVENING = datetime.datetime(2026, 12, 4, 20, 9, 32, tzinfo=datetime.UTC)


def test_the_locale_is_the_active_language_spoken_in_the_locations_country():
    with translation.override("de"):
        assert str(locale_for(HARBOUR)) == "de_DE"
        assert str(locale_for(CENTRAL)) == "de"  # CLDR has no German of France: German's own
    with translation.override("en"):
        assert str(locale_for(CENTRAL, language="fr")) == "fr_FR"


def test_money_is_rounded_to_the_currencys_minor_unit_and_never_a_signed_zero():
    en = babel_locale("en", "IE")

    assert format_money(Decimal("14.220"), "EUR", en) == "€14.22"
    assert format_money(Decimal("14.22"), "KWD", en) == "KWD14.220"
    assert format_money(Decimal("1234.5"), "JPY", en) == "JP¥1,235"
    assert format_money(Decimal("-0.004"), "EUR", en) == "€0.00"


def test_dates_and_times_are_in_the_locations_time_zone_and_the_languages_format():
    de, en = babel_locale("de", "DE"), babel_locale("en", "IE")

    assert format_datetime(EVENING, HARBOUR, de) == "04.12.26, 21:09"
    assert format_time(EVENING, HARBOUR, en) == "21:09"
    assert format_date(EVENING, HARBOUR, en) == "04/12/2026"
    assert format_date(datetime.date(2026, 12, 4), HARBOUR, de, "medium") == "04.12.2026"


def test_the_page_gets_babels_pattern_and_symbols():
    spec = money_format_spec(babel_locale("fr", "FR"), "EUR")

    assert spec["decimal"] == "," and spec["group"] == "\u202f" and spec["symbol"] == "€"
    assert spec["positive"] == ["", "\xa0€"] and spec["negative"] == ["-", "\xa0€"]
    assert spec["digits"] == 2 and spec["grouping"] == [3, 3]


def test_the_filters_format_for_a_location_in_the_active_language():
    page = Template(
        "{% load formatting %}{{ amount|money:location }}|{{ minor|minor_money:location }}|{{ amount|money:'JPY' }}|"
        "{{ when|local_datetime:location }}|{{ when|local_time:location }}|{{ amount|number }}|"
        "{{ nothing|money:location }}"
    )
    context = Context({"amount": Decimal("1234.5"), "minor": 450, "location": HARBOUR, "when": EVENING})

    with translation.override("de"):
        assert page.render(context) == "1.234,50\xa0€|4,50\xa0€|1.235\xa0¥|04.12.26, 21:09|21:09|1.234,5|"
    with translation.override("en"):
        # English as written in Germany (CLDR's en_DE): the German separators, the symbol after.
        assert page.render(context) == "1.234,50\xa0€|4,50\xa0€|¥1,235|04/12/2026, 21:09|21:09|1,234.5|"
