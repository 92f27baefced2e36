"""The request id, user and location that every log line (and Celery task, and WebSocket event) belongs to.

HTTP: `middleware.RequestObservabilityMiddleware` binds the request. Celery: `celery_signals` carries the
request id in a task header. WebSockets: a consumer calls `bind_websocket(self.scope)` in `connect()`.
Anything else can add what it knows with `bind(location_id=...)`.
"""

import re
import uuid
from contextvars import ContextVar, Token

from django.utils.functional import SimpleLazyObject, empty

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_bound: ContextVar[dict] = ContextVar("cafepos_observability_context")


def accept_request_id(value: str | None) -> str:
    """The caller's request id when it is a sane token, else a new one (ids end up in headers and logs)."""
    if value and _VALID_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def bind(**fields) -> Token:
    """Add fields (`request_id`, `user_id`, `location_id`, `request`) for the current context; `reset` undoes."""
    return _bound.set({**_bound.get({}), **fields})


def reset(token: Token) -> None:
    _bound.reset(token)


def current_request_id() -> str | None:
    """The request id to stamp on an event, task or log line started from here, if there is one."""
    return _bound.get({}).get("request_id")


def current(request=None) -> dict:
    """`request_id`, `user_id` and `location_id` known here (or for `request`); absent keys are left out."""
    bound = _bound.get({})
    fields = {key: value for key, value in bound.items() if key != "request"}
    request = request or bound.get("request")
    if request is not None:
        fields.update(
            request_id=getattr(request, "request_id", fields.get("request_id")),
            user_id=fields.get("user_id") or request_user_id(request),
            location_id=fields.get("location_id") or request_location_id(request),
        )
    return {key: value for key, value in fields.items() if value is not None}


def request_user_id(request) -> int | None:
    """The signed-in user's id, without loading the user just to log it (a lazy user not yet read is skipped)."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


def request_location_id(request) -> int | None:
    """The location the request is about: a URL's `location_id`, or the paired terminal's location."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.kwargs.get("location_id") is not None:
        return match.kwargs["location_id"]
    terminal = request.__dict__.get("_cafepos_terminal")  # cached by accounts.terminal_auth.current_terminal
    return getattr(terminal, "location_id", None)


def bind_websocket(scope: dict) -> Token:
    """For a Channels consumer's `connect()`: request id from the handshake (or new), user, URL location."""
    headers = dict(scope.get("headers") or [])
    request_id = accept_request_id(headers.get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1"))
    user = scope.get("user")
    user_id = user.pk if user is not None and user.is_authenticated else None
    location_id = (scope.get("url_route") or {}).get("kwargs", {}).get("location_id")
    return bind(request_id=request_id, user_id=user_id, location_id=location_id)
