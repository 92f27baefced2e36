"""The JavaScript's translations: the catalog builder hands a page the active language's djangojs entries
(plural forms and contexts included, the templates' django domain left out), and every screen ships them in
its `json_script` block, read by cafepos/static/cafepos/i18n.js before the page's own scripts."""

import json
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.test import Client
from django.utils import translation

from cafepos.js_catalog import js_catalog
from testing.cafes import make_cafe, terminal_session_cookies

from . import pos

I18N_SCRIPT = "/static/cafepos/i18n.js"


def compiled(locale_dir, language: str, domain: str, messages: list[tuple]) -> None:
    """A compiled catalog of `messages` (id, text[, context]) in `locale_dir`, as compilemessages leaves it."""
    catalog = Catalog(locale=language, domain=domain)
    for message in messages:
        catalog.add(message[0], message[1], context=message[2] if len(message) > 2 else None)
    folder = locale_dir / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{domain}.mo", "wb") as file:
        write_mo(file, catalog)


def test_the_catalog_holds_the_active_languages_djangojs_entries_only(settings, tmp_path):
    compiled(
        tmp_path,
        "de",
        "djangojs",
        [
            ("Sold out", "Ausverkauft"),
            (("%(count)s seat", "%(count)s seats"), ("%(count)s Platz", "%(count)s Plätze")),
            ("Free", "Frei", "table status"),
        ],
    )
    compiled(tmp_path, "de", "django", [("Register", "Kasse")])
    settings.LOCALE_PATHS = [tmp_path]

    with translation.override("de"):
        german = js_catalog()
    with translation.override("fr"):
        french = js_catalog()

    assert german["language"] == "de"
    assert german["catalog"]["Sold out"] == "Ausverkauft"
    assert german["catalog"]["%(count)s seat"] == ["%(count)s Platz", "%(count)s Plätze"]
    assert german["catalog"]["table status\x04Free"] == "Frei"
    assert "Register" not in german["catalog"]
    assert french == {"language": "fr", "catalog": {}}


def catalog_and_scripts(response) -> tuple[dict, list[str]]:
    page = response.content.decode()
    match = re.search(r'<script id="js-catalog" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the page ships no js-catalog block"
    return json.loads(match.group(1)), re.findall(r'<script src="([^"]+)"', page)


@pytest.mark.django_db
def test_every_screen_ships_its_catalog_and_reads_it_before_its_own_scripts(client):
    till = pos.make_cafe()
    cashier = pos.pos_client(till.location, terminal=till.terminal, secret=till.secret, user=till.cashier)[0]
    screens = [(cashier, path) for path in ["/pos/", "/pos/orders/", "/pos/floor/", "/pos/shift/", "/pos/status/"]]
    kitchen = make_cafe()
    for name, value in terminal_session_cookies(
        terminal=kitchen.terminal, secret=kitchen.secret, user=kitchen.cook
    ).items():
        client.cookies[name] = value
    screens += [(client, "/kitchen/")]
    owner = Client()
    owner.force_login(kitchen.owner)
    screens += [(owner, "/backoffice/reports/")]

    for browser, path in screens:
        response = browser.get(path)
        assert response.status_code == 200, path
        catalog, scripts = catalog_and_scripts(response)
        assert catalog == {"language": "en", "catalog": {}}, path
        ours = [src for src in scripts if "/vendor/" not in src and not src.startswith("/static/admin/")]
        assert ours[0].startswith(I18N_SCRIPT), (path, ours)


@pytest.mark.django_db
def test_the_terminal_sign_in_page_ships_the_catalog(client):
    cafe = make_cafe()
    client.cookies["cafepos_terminal"] = cafe.secret

    catalog, scripts = catalog_and_scripts(client.get("/terminal/login/"))

    assert catalog["catalog"] == {}
    assert scripts[0].startswith(I18N_SCRIPT)
