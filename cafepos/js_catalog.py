"""The page's translations for its JavaScript: the active language's `djangojs` catalog as data for a
`json_script` block. Django's `JavaScriptCatalog` view serves a script that evals the plural rule, which the
screens' strict CSP forbids; its catalog logic is reused here and the plural rules live in
cafepos/static/cafepos/i18n.js."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

# Our catalogs live in LOCALE_PATHS (always read); naming only our core package keeps Django's and the admin's
# djangojs entries (calendar names and the like, which our pages never show) out of every page.
OUR_PACKAGES = ["cafepos"]


@lru_cache(maxsize=16)
def _catalog_of(language: str) -> dict:
    """Read once per process and language: compiled catalogs do not change under a running server."""
    view = JavaScriptCatalog()
    view.translation = DjangoTranslation(language, domain=view.domain, localedirs=view.get_paths(OUR_PACKAGES))
    return {"language": language, "catalog": view.get_catalog()}


def js_catalog() -> dict:
    """`{language, catalog}` of the active language: msgid (or "context\\x04msgid") → text, or → the list of
    plural forms."""
    return _catalog_of(get_language() or "en")


@receiver(setting_changed)
def _forget_catalogs(*, setting: str, **kwargs) -> None:
    """Where catalogs are read from changed (tests do this): read them again, as Django does for its own."""
    if setting in {"LOCALE_PATHS", "LANGUAGES", "INSTALLED_APPS"}:
        _catalog_of.cache_clear()
