"""Terminal access for pages such as /pos/ and /kitchen/: a paired device and a staff member logged in on it.

The device credential lives in a long-lived cookie; the staff member in an ordinary Django session that
remembers which terminal it was opened on. A PIN session never opens the admin (see `is_pin_session`).
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import login, logout
from django.shortcuts import redirect

from .models import Terminal, User
from .selectors import role_at
from .services import terminal_authenticate

TERMINAL_SESSION_KEY = "terminal_id"
TERMINAL_COOKIE_MAX_AGE = 5 * 365 * 24 * 60 * 60


def current_terminal(request) -> Terminal | None:
    """The active (paired, not revoked) terminal this browser is, or None. Looked up once per request."""
    if not hasattr(request, "_cafepos_terminal"):
        request._cafepos_terminal = terminal_authenticate(request.COOKIES.get(settings.TERMINAL_COOKIE_NAME))
    return request._cafepos_terminal


def terminal_cookie_set(response, secret: str) -> None:
    response.set_cookie(
        settings.TERMINAL_COOKIE_NAME,
        secret,
        max_age=TERMINAL_COOKIE_MAX_AGE,
        httponly=True,
        secure=not settings.DEBUG,
        samesite="Lax",
    )


def terminal_staff_login(request, *, terminal: Terminal, user: User) -> None:
    """Open the staff member's session and tie it to this terminal."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[TERMINAL_SESSION_KEY] = terminal.id


def terminal_staff(request, terminal: Terminal) -> User | None:
    """The staff member logged in on this terminal, while they still have a role at its location."""
    user = request.user
    if not user.is_authenticated or request.session.get(TERMINAL_SESSION_KEY) != terminal.id:
        return None
    return user if role_at(user, terminal.location) is not None else None


def is_pin_session(request) -> bool:
    """True when the session was opened with a PIN on a terminal (a PIN is too weak for the back office)."""
    session = getattr(request, "session", None)
    return session is not None and TERMINAL_SESSION_KEY in session


def forget_terminal_on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: any other login (e.g. the admin's password form) ends the PIN session's tie."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(TERMINAL_SESSION_KEY, None)


def terminal_required(view=None, *, kind: str | None = None):
    """Guard a terminal page: unpaired or revoked → /terminal/pair/, no staff session here → /terminal/login/.

    With `kind`, a terminal of another kind is sent to its own home page. Sets `request.terminal`.
    Use as `@terminal_required` or `@terminal_required(kind=Terminal.Kind.POS)`.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            terminal = current_terminal(request)
            if terminal is None:
                if is_pin_session(request):
                    logout(request)
                response = redirect("terminal:pair")
                response.delete_cookie(settings.TERMINAL_COOKIE_NAME)
                return response
            if terminal_staff(request, terminal) is None:
                return redirect("terminal:login")
            if kind is not None and terminal.kind != kind:
                return redirect(terminal.home_url)
            request.terminal = terminal
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
