"""The one application error type: raised by services, shaped by the API handler and by pages."""


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
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}
