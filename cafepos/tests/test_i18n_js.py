"""cafepos/static/cafepos/i18n.js in Node: its plural rule for each shipped language gives, for many n, the form
our catalogs' Plural-Forms give. makemessages copies that header from Django's own django.po of the language, so
it is the reference (the rule cannot travel to the page as an expression: the CSP forbids eval)."""

import gettext
import json
import pathlib
import re

import django
from django.conf import settings
from django.core.management.commands.makemessages import plural_forms_re

from testing.node import node_test

HERE = pathlib.Path(__file__).parent
NUMBERS = [*range(0, 121), 200, 201, 202, 203, 211, 1000, 1001, 1000000, 2000000]


def plural_rule_of(language: str):
    """The plural rule makemessages writes into our catalogs of `language`: the Plural-Forms header of Django's
    own django.po, found as makemessages finds it (English has none there, and gets gettext's default, n != 1)."""
    po = pathlib.Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    header = plural_forms_re.search(po.read_text(encoding="utf-8"))
    text = "".join(re.findall(r'"(.*?)"', header["value"])) if header else "plural=n != 1"
    expression = re.search(r"\bplural=(.*?);?\s*(\\n)?$", text).group(1)
    return gettext.c2py(expression)


def test_the_page_picks_the_plural_form_the_catalogs_give():
    expected = {}
    for code, _name in settings.LANGUAGES:
        rule = plural_rule_of(code)
        expected[code] = {str(n): rule(n) for n in NUMBERS}
    node_test(HERE / "js" / "i18n_plurals.mjs", env={"EXPECTED": json.dumps(expected), "PATH": "/usr/bin:/bin"})


def test_the_hand_worked_plural_table_passes_too():
    node_test(HERE / "js" / "i18n_plurals.mjs")
