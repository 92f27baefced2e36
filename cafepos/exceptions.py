"""The one application error type, and the one error shape every caller sees.

`error_body` renders `{"error": {"code", "message", "fields"}}` for the API's exception handler, Django's
error views under /api/, the rate-limit middleware, the pages' JSON views and the sockets' error frames.
"""

from django.utils.functional import Promise

from cafepos.observability.redaction import redact_text


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    """The error shape; messages that repeat the caller's input (`"4111…" is not a valid choice.`) pass
    through the log redaction, so no card number, PIN or token comes back in an error. Lazy translations
    (`gettext_lazy`) become plain strings in the active language, so the body always serializes as JSON."""
    return {"error": {"code": code, "message": redact_text(str(message)), "fields": _redacted(fields or {})}}


def _redacted(messages):
    """The same nesting of field messages, each message redacted."""
    if isinstance(messages, dict):
        return {name: _redacted(value) for name, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [_redacted(value) for value in messages]
    if isinstance(messages, str | Promise):
        return redact_text(str(messages))
    return messages


class ApplicationError(Exception):
    """A refused operation with a stable `code` (e.g. `order.illegal_transition`) and per-field messages."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        fields: dict | None = None,
        *,
        status: int | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after  # seconds, sent as Retry-After with a 429
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        """The error as the one shape, redacted (`error_body`)."""
        return error_body(self.code, self.message, self.fields)
