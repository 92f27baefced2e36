"""`Idempotency-Key` for the API's creating operations, on top of the idempotency store (`cafepos.idempotency`).

The key is scoped to the caller and the operation; the fingerprint is the path and body, so the same key
sent again with the same request gets the original status and body (with `Idempotent-Replayed: true`), and
with another request a 409 `idempotency.key_reused`.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from cafepos.exceptions import ApplicationError
from cafepos.idempotency import MAX_KEY_LENGTH, idempotent

HEADER = "Idempotency-Key"

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"^\S(.*\S)?$"},
    OpenApiParameter.HEADER,
    required=True,
    description="A unique value per operation (e.g. a UUID), kept by the client for retries: the same key and "
    "request replay the first response; the same key with another request is a 409.",
)


def idempotent_response(
    request,
    *,
    operation: str,
    execute: Callable[..., tuple[int, Any]],
    prepare: Callable[[], AbstractContextManager] | None = None,
) -> Response:
    """Run `execute` (returning status and JSON body) once per caller, operation and key (`prepare`: see
    `cafepos.idempotency.idempotent`)."""
    key = request.headers.get(HEADER)
    if not key:
        message = _("Send an %(header)s header, unique per operation, and reuse it only to retry.") % {"header": HEADER}
        raise ApplicationError("idempotency.key_required", message, {HEADER: [_("Required.")]})
    scope = f"{request.auth.principal_key}:{operation}"
    fingerprint = {"path": request.path, "query": request.query_params.dict(), "body": request.data}
    result = idempotent(scope=scope, key=key, request=fingerprint, execute=execute, prepare=prepare)
    response = Response(result.body, status=result.status)
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
