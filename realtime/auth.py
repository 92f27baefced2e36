"""Who listens on a socket: the Django session of a paired terminal (pages), or an access JWT sent as the first
message (API clients); then which location they hear and whether their role may listen there.

Close codes: 4001 no or a bad credential, 4003 the role may not listen (or the location is not theirs),
4400 a malformed handshake (an unknown station, a bad `since`, or no `location` for a user of several),
4029 too many open sockets (realtime/slots.py).
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts.models import Location, Terminal, User
from accounts.roles import FRONT_OF_HOUSE, KITCHEN_CREW
from accounts.selectors import locations_for, role_at
from accounts.terminal_auth import current_terminal, is_pin_session, terminal_staff

CLOSE_UNAUTHENTICATED = 4001
CLOSE_FORBIDDEN = 4003
CLOSE_BAD_REQUEST = 4400
CLOSE_KEEPALIVE_TIMEOUT = 4008
CLOSE_TOO_MANY_SOCKETS = 4029

# Who may listen to each stream.
LISTEN_ROLES = {"kitchen": KITCHEN_CREW, "orders": FRONT_OF_HOUSE}


class SocketRefused(Exception):
    """Close the socket with `close_code`, after telling the client `code` and `message`."""

    def __init__(self, close_code: int, code: str, message: str):
        super().__init__(message)
        self.close_code = close_code
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Listener:
    user: User
    location: Location
    role: str
    terminal_id: int | None = None  # the paired terminal the credential belongs to (its socket cap)


def session_user(scope) -> tuple[User, Terminal | None] | None:
    """The session's user and, for a PIN session, its terminal (only from that paired terminal)."""
    request = SimpleNamespace(COOKIES=scope.get("cookies", {}), user=scope.get("user"), session=scope.get("session"))
    if request.user is None or not request.user.is_authenticated:
        return None
    if not is_pin_session(request):
        return request.user, None
    terminal = current_terminal(request)
    if terminal is None or terminal_staff(request, terminal) is None:
        return None
    return request.user, terminal


def token_user(token) -> tuple[User, Terminal | None]:
    """The user of a valid access JWT (simplejwt's checks: signature, expiry, active user, password unchanged)
    and, for a token obtained with a PIN, its terminal. Raises SocketRefused (4001)."""
    if not isinstance(token, str) or not token:
        raise SocketRefused(CLOSE_UNAUTHENTICATED, "auth.invalid", _("Send an access token."))
    backend = JWTAuthentication()
    try:
        validated = backend.get_validated_token(token.encode())
        user = backend.get_user(validated)
    except AuthenticationFailed:  # InvalidToken is one too
        raise SocketRefused(CLOSE_UNAUTHENTICATED, "auth.invalid", _("The token is invalid or expired.")) from None
    terminal_id = validated.get("terminal_id")
    if terminal_id is None:
        return user, None
    terminal = Terminal.objects.select_related("location").filter(pk=terminal_id, revoked_at__isnull=True).first()
    if terminal is None:
        raise SocketRefused(
            CLOSE_UNAUTHENTICATED, "auth.invalid", _("The terminal this token was issued on is revoked.")
        )
    return user, terminal


def listener_resolve(*, user: User, terminal: Terminal | None, location_id: int | None, stream: str) -> Listener:
    """The location the user hears (their terminal's, the one asked for, or their only one) and their role there."""
    bound = terminal.location if terminal is not None else None
    if bound is not None:
        if location_id is not None and location_id != bound.pk:
            raise SocketRefused(
                CLOSE_FORBIDDEN, "permission.denied", _("This credential is bound to another location.")
            )
        location = bound
    elif location_id is not None:
        location = locations_for(user).filter(pk=location_id).first()
        if location is None:
            raise SocketRefused(CLOSE_FORBIDDEN, "permission.denied", _("You have no role at this location."))
    else:
        locations = list(locations_for(user)[:2])
        if len(locations) != 1:
            raise SocketRefused(CLOSE_BAD_REQUEST, "location.required", _("Add ?location=<id> to the socket's URL."))
        location = locations[0]
    role = role_at(user, location)
    if role not in LISTEN_ROLES[stream]:
        raise SocketRefused(
            CLOSE_FORBIDDEN,
            "permission.denied",
            _("A %(role)s may not listen here.") % {"role": role or "non-member"},
        )
    return Listener(user=user, location=location, role=role, terminal_id=terminal.pk if terminal else None)


def token_listener(token, *, location_id: int | None, stream: str) -> Listener:
    user, terminal = token_user(token)
    return listener_resolve(user=user, terminal=terminal, location_id=location_id, stream=stream)


def session_listener(scope, *, location_id: int | None, stream: str) -> Listener | None:
    """The session's listener, or None when the session has no usable user (the client may still send a token)."""
    found = session_user(scope)
    if found is None:
        return None
    user, terminal = found
    return listener_resolve(user=user, terminal=terminal, location_id=location_id, stream=stream)
