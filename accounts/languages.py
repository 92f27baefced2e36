"""Which language a request is answered in, chosen in one place (`LanguageMiddleware`, after authentication).

- The API (`/api/`): the caller's `Accept-Language`, among settings.LANGUAGES, else English.
- Terminal pages (`/pos/`, `/kitchen/`, `/terminal/`): the language a staff member chose for their session at the
  till, else the paired terminal's location's, else the browser's (an unpaired browser).
- The back office (`/admin/`, `/backoffice/`): the signed-in user's own `language`, else the browser's.

Receipts and emails to guests do not follow the request: they render under `translation.override(location.language)`
where they are built. Every response says its language in `Content-Language`.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .terminal_auth import current_terminal

API_PREFIX = "/api/"
TERMINAL_PREFIXES = ("/pos/", "/kitchen/", "/terminal/")
BACK_OFFICE_PREFIXES = ("/admin/", "/backoffice/")
SESSION_LANGUAGE_KEY = "staff_language"


def is_supported(language) -> bool:
    return isinstance(language, str) and language in dict(settings.LANGUAGES)


def browser_language(request) -> str:
    """The best of settings.LANGUAGES for the request's `Accept-Language` (Django bounds the header's length)."""
    return translation.get_language_from_request(request)


def terminal_language(request) -> str:
    chosen = request.session.get(SESSION_LANGUAGE_KEY)
    if is_supported(chosen):
        return chosen
    terminal = current_terminal(request)  # looked up once per request: the page's own guard reuses it
    if terminal is not None and is_supported(terminal.location.language):
        return terminal.location.language
    return browser_language(request)


def back_office_language(request) -> str:
    user = request.user
    if user.is_authenticated and is_supported(user.language):
        return user.language
    return browser_language(request)


def request_language(request) -> str:
    path = request.path_info
    if path.startswith(TERMINAL_PREFIXES):
        return terminal_language(request)
    if path.startswith(BACK_OFFICE_PREFIXES):
        return back_office_language(request)
    return browser_language(request)


class LanguageMiddleware:
    """Activate the request's language while the response is made (rendered content included), then restore."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
