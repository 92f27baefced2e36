"""A test cafe for the tests of every app: a location with staff and paired kitchen terminals, sessions as a
browser would hold them, and a WebsocketCommunicator on the real ASGI application (origin check, session
middleware, routes)."""

from dataclasses import dataclass

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore

from accounts.models import Role, Terminal, TerminalSignIn
from accounts.terminal_auth import TERMINAL_SESSION_KEY
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from menu.models import Station
from menu.tests.factories import MenuItemFactory

ORIGIN = "http://127.0.0.1:8000"  # in the default ALLOWED_ORIGINS


def signed_in_session(user, **values) -> str:
    """The key of a saved session with `user` signed in (as Django's login leaves it), holding `values` too."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(values)
    session.save()
    return session.session_key


def terminal_session_cookies(*, terminal: Terminal, secret: str, user) -> dict[str, str]:
    """The cookies of a paired terminal's browser with `user` signed in on it (as /terminal/login/ leaves them)."""
    session_key = signed_in_session(user, **{TERMINAL_SESSION_KEY: terminal.pk})
    TerminalSignIn.objects.update_or_create(terminal=terminal, user=user)  # as a PIN sign-in records
    return {settings.SESSION_COOKIE_NAME: session_key, settings.TERMINAL_COOKIE_NAME: secret}


def socket(path: str, *, origin: str | None = ORIGIN, cookies: dict[str, str] | None = None) -> WebsocketCommunicator:
    from cafepos.asgi import application

    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookies:
        headers.append((b"cookie", "; ".join(f"{name}={value}" for name, value in cookies.items()).encode()))
    return WebsocketCommunicator(application, path, headers=headers)


@dataclass
class Cafe:
    """One location with a kitchen item, a bar item, staff by role and a paired kitchen terminal."""

    location: object
    kitchen_item: object
    bar_item: object
    cashier: object
    cook: object
    manager: object
    owner: object
    terminal: Terminal
    secret: str

    def cookies(self, user) -> dict[str, str]:
        return terminal_session_cookies(terminal=self.terminal, secret=self.secret, user=user)


def make_cafe(**location_fields) -> Cafe:
    location = LocationFactory(**location_fields)
    terminal, secret = paired_terminal(location=location, kind=Terminal.Kind.KITCHEN)
    return Cafe(
        location=location,
        kitchen_item=MenuItemFactory(location=location, station=Station.KITCHEN),
        bar_item=MenuItemFactory(location=location, station=Station.BAR),
        cashier=staff(location, Role.CASHIER, pin="1111"),
        cook=staff(location, Role.KITCHEN, pin="2222"),
        manager=staff(location, Role.MANAGER, pin="3333"),
        owner=staff(location, Role.OWNER, pin="4444"),
        terminal=terminal,
        secret=secret,
    )
