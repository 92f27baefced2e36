"""Clients for API tests in every app: an APIClient holding one kind of credential."""

from django.conf import settings
from rest_framework.test import APIClient

from accounts.api.tokens import token_pair
from accounts.models import Terminal, TerminalSignIn
from accounts.services import api_key_create, credential_hash


def api_as(user, *, terminal=None) -> APIClient:
    """A client sending a staff member's access token (obtained with a PIN on `terminal` when given)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair(user=user, terminal=terminal)['access']}")
    return client


def api_with_key(location, scopes) -> APIClient:
    """A client sending a fresh API key of `location` with `scopes`."""
    _, key = api_key_create(location=location, name="Integration", scopes=list(scopes), created_by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def api_as_terminal(secret: str, staff) -> APIClient:
    """A client sending a terminal's device credential, acting for `staff` (who signed in there lately)."""
    terminal = Terminal.objects.get(secret_hash=credential_hash(secret))
    TerminalSignIn.objects.update_or_create(terminal=terminal, user=staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Terminal {secret}", HTTP_X_STAFF_ID=str(staff.pk))
    return client


def pin_session_browser(secret: str, staff, pin: str) -> tuple[APIClient, str]:
    """The POS page's browser: the terminal cookie and `staff`'s PIN session (signed in on the terminal's login
    page), with the CSRF token its API calls send."""
    browser = APIClient(enforce_csrf_checks=True)
    browser.cookies[settings.TERMINAL_COOKIE_NAME] = secret
    browser.get("/terminal/login/")
    form = {"staff": staff.pk, "pin": pin, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value}
    assert browser.post("/terminal/login/", form, format="multipart").status_code == 302
    return browser, browser.cookies["csrftoken"].value  # rotated at sign-in
