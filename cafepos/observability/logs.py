"""Logging configuration: JSON (production) or plain lines, request context on every record, no secrets.

`logging_config()` is used by Django's LOGGING setting and by gunicorn's `logconfig_dict`, so the server's
own lines and the application's come out in one format.
"""

import logging

from django.http import HttpRequest
from pythonjsonlogger.core import RESERVED_ATTRS

from .context import current
from .redaction import REDACTED, is_sensitive_key, redact, redact_text

# Attributes every LogRecord has; anything else on a record came from `extra=` and is redacted by key.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class ContextFilter(logging.Filter):
    """Stamps `request_id`, `user_id` and `location_id` (when known) on each record. Django logs 4xx/5xx
    after the middleware has returned, passing the request in `extra`: its fields are taken from there."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        for key, value in current(request if isinstance(request, HttpRequest) else None).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class RedactingFilter(logging.Filter):
    """Replaces secrets in the message, its arguments, `extra=` fields and the formatted traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A malformed call ("%s %s" with one argument) is logged, never raised at the caller; its
            # arguments are left out, since any of them may be a secret.
            message = f"{record.msg} [arguments withheld: they do not fit the format]"
        record.msg = redact_text(message)
        record.args = ()
        for key in set(vars(record)) - _RECORD_ATTRIBUTES:
            value = getattr(record, key)
            setattr(record, key, REDACTED if is_sensitive_key(key) else redact(_loggable(value)))
        if record.exc_info:
            # Format once here so the traceback text can be scrubbed; formatters reuse exc_text.
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _loggable(value):
    """Plain data stays as it is; objects (a request passed by Django in `extra=`) become their text."""
    if value is None or isinstance(value, bool | int | float | str | dict | list | tuple):
        return value
    return str(value)


def default_format(app_env: str) -> str:
    """JSON lines in production (for the log pipeline), readable lines elsewhere."""
    return "json" if app_env == "production" else "plain"


def logging_config(*, level: str, fmt: str) -> dict:
    """A `logging.config.dictConfig` dict: one console handler, `fmt` "json" or "plain"."""
    if fmt not in ("json", "plain"):
        raise SystemExit(f"CafePOS configuration error: LOG_FORMAT must be json or plain, not {fmt!r}")
    console = {"handlers": ["console"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "cafepos.observability.logs.ContextFilter"},
            "redact": {"()": "cafepos.observability.logs.RedactingFilter"},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",  # ISO 8601, UTC
                "reserved_attrs": [*RESERVED_ATTRS, "color_message"],  # uvicorn's ANSI copy of the message
            },
            "plain": {
                "()": "logging.Formatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
                "defaults": {"request_id": "-"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["context", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Server loggers come with their own handlers; route them through ours, once.
            "django.request": {**console, "level": "WARNING"},
            "gunicorn.error": console,
            "uvicorn": console,
            "celery": console,
            # cafepos.access already logs each request, with its request id, route and user.
            "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
