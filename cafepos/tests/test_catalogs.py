"""The translation catalogs are complete, real, current and compiled.

For every shipped language but English, both domains (`locale/<lang>/LC_MESSAGES/django.po` and `djangojs.po`):
- no entry is empty (each plural form included) and none is fuzzy;
- at least 90 % of the entries differ from their English: a copied msgid is not a translation. Names and codes
  are left out of the ratio: an entry with no lowercase letter once its placeholders are removed (`PIN`, `%(a)s –
  %(b)s`, `#%(number)s`) or one of the proper names in `SAME_IN_EVERY_LANGUAGE`;
- the catalog is not stale: every string the code marks is in it. The code's strings are extracted again by our
  `makemessages` (the one `make messages-extract` runs) into a temporary directory; that needs GNU gettext's
  `xgettext`, so without it the check is skipped and says why;
- compiled (`make messages` runs `compilemessages`), each entry comes back translated, and an API error arrives
  in German.

Catalogs are written by `make messages-extract`, translated, then compiled; the `.po` files are committed, the
`.mo` files never are.
"""

import os
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from rest_framework.test import APIClient

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
CATALOGS = [(language, domain) for language in LANGUAGES for domain in DOMAINS]
MIN_TRANSLATED_SHARE = 0.9
SAME_IN_EVERY_LANGUAGE = {"CafePOS", "OK", "PIN", "CSV", "API", "SKU", "POS", "Email", "E-mail", "Z"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|%%|\{\w*\}")


def catalog_path(language: str, domain: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def catalog(language: str, domain: str):
    path = catalog_path(language, domain)
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make messages-extract` and translate it")
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language, domain=domain)


def entries(language: str, domain: str) -> list:
    """The catalog's messages, without its header."""
    return [message for message in catalog(language, domain) if message.id]


def forms(message) -> list[tuple[str, str]]:
    """(English, translation) per form: a plural's first form pairs with the singular, the others with the plural."""
    if not message.pluralizable:
        return [(message.id, message.string)]
    singular, plural = message.id
    return [(singular if index == 0 else plural, text) for index, text in enumerate(message.string)]


def is_name_or_code(msgid: str) -> bool:
    words = PLACEHOLDER.sub("", msgid)
    return msgid.strip() in SAME_IN_EVERY_LANGUAGE or not any(character.islower() for character in words)


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_no_entry_is_empty_or_fuzzy(language, domain):
    empty = [message.id for message in entries(language, domain) if not all(text for _en, text in forms(message))]
    fuzzy = [message.id for message in entries(language, domain) if message.fuzzy]

    assert (empty, fuzzy) == ([], []), f"{catalog_path(language, domain)}: untranslated or fuzzy entries"


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_nine_in_ten_entries_differ_from_their_english(language, domain):
    words = [message for message in entries(language, domain) if not is_name_or_code(forms(message)[0][0])]
    copied = [message.id for message in words if all(text == english for english, text in forms(message))]

    share = 1 - len(copied) / len(words) if words else 1
    assert share >= MIN_TRANSLATED_SHARE, f"{language}/{domain}: {len(copied)} of {len(words)} copied: {copied}"


@pytest.fixture(scope="module")
def marked_strings(tmp_path_factory) -> dict[str, set]:
    """The msgids the code marks now, per domain, extracted the way `make messages-extract` does."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext's xgettext is not installed: makemessages cannot extract the code's strings")
    target, previous = tmp_path_factory.mktemp("locale"), os.getcwd()
    os.chdir(settings.BASE_DIR)  # makemessages scans the current directory
    try:
        with override_settings(LOCALE_PATHS=[str(target)]):
            for domain in DOMAINS:
                call_command("makemessages", locale=[LANGUAGES[0]], domain=domain, verbosity=0)
    finally:
        os.chdir(previous)
    return {domain: extracted(target / LANGUAGES[0] / "LC_MESSAGES" / f"{domain}.po") for domain in DOMAINS}


def extracted(path: Path) -> set:
    """The msgids of an extracted catalog; a domain nothing marks yet gets no file."""
    if not path.exists():
        return set()
    with path.open("rb") as po_file:
        return {message.id for message in read_po(po_file) if message.id}


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_every_string_the_code_marks_is_in_the_catalog(marked_strings, language, domain):
    missing = marked_strings[domain] - {message.id for message in entries(language, domain)}

    assert not missing, f"{catalog_path(language, domain)} is stale: run `make messages-extract`; new: {missing}"


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_the_compiled_catalog_translates_every_entry(language, domain):
    compiled = catalog_path(language, domain).with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `manage.py compilemessages` (make messages)"
    translations = DjangoTranslation(language, domain=domain)
    singles = [message for message in entries(language, domain) if not message.pluralizable]

    def served(message):
        if message.context:
            return translations.pgettext(message.context, message.id)
        return translations.gettext(message.id)

    assert {(m.context, m.id): served(m) for m in singles} == {(m.context, m.id): m.string for m in singles}


@pytest.mark.django_db
def test_an_api_error_message_arrives_in_german_with_its_code_in_english():
    english = "Unknown or revoked terminal."
    german = catalog("de", "django").get(english)
    assert german is not None and german.string != english, "the German catalog translates this message"
    body = {"terminal_secret": "no-such-terminal", "staff_id": 1, "pin": "2222"}

    with translation.override("de"):
        response = APIClient().post("/api/v1/auth/pin/", body, format="json", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.terminal_invalid"
    assert response.json()["error"]["message"] == german.string
