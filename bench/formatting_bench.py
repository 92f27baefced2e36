"""What the one formatter (cafepos/formatting.py) and the language of a request cost per call and per page:
CPU time, best of five runs:

    .venv/bin/python -m bench.formatting_bench    (as a module: bench/markdown.py would shadow the package)

No database: the locale's data is loaded once, as in a served process.
"""

import datetime
import os
import time
import timeit
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings.test")


def best_microseconds(call, number: int) -> float:
    return min(timeit.repeat(call, timer=time.process_time, number=number, repeat=5)) / number * 1e6


def main() -> None:
    import django

    django.setup()
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.utils import translation

    from accounts.languages import request_language
    from cafepos.formatting import date_format_spec, format_datetime, format_money, locale_for, money_format_spec

    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    location = SimpleNamespace(currency="EUR", country="DE", language="de", time_zone="Europe/Berlin", zone=berlin)
    translation.activate("de")
    locale = locale_for(location)
    now = datetime.datetime.now(datetime.UTC)
    receipt = Template("{% load formatting %}" + "{{ amount|money:location }}" * 20)
    context = Context({"amount": Decimal("3.50"), "location": location})
    api_request = RequestFactory().get("/api/v1/menu/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.8")
    js_catalog = Template("{% load js_catalog %}{% js_catalog %}")
    cases = [
        ("the API request's language from Accept-Language", lambda: request_language(api_request), 20000),
        ("a refusal's message translated (gettext, German)", lambda: translation.gettext("Unknown order."), 20000),
        ("the page's JavaScript catalog in json_script (German, cached)", lambda: js_catalog.render(Context()), 2000),
        ("format_money(1234.50 EUR, de_DE)", lambda: format_money(Decimal("1234.50"), "EUR", locale), 20000),
        ("format_money(1234.50 KWD, de_DE)", lambda: format_money(Decimal("1234.50"), "KWD", locale), 20000),
        ("locale_for(location)", lambda: locale_for(location), 20000),
        (
            "money_format_spec + date_format_spec (a POS page's config)",
            lambda: (money_format_spec(locale, "EUR"), date_format_spec(locale, location)),
            20000,
        ),  # fmt: skip
        ("format_datetime(short, the location's zone)", lambda: format_datetime(now, location, locale), 5000),
        ("a template printing 20 amounts with |money:location", lambda: receipt.render(context), 500),
    ]
    for label, call, number in cases:
        print(f"| {label} | {best_microseconds(call, number):,.1f} |")


if __name__ == "__main__":
    main()
