"""The API's one error shape, `{"error": {"code", "message", "fields"}}`, for every 4xx and 5xx.

The shape is rendered, redacted, by `cafepos.exceptions.error_body`. `exception_handler` is DRF's
EXCEPTION_HANDLER; `not_found` / `bad_request` / `permission_denied` / `server_error` are Django's
handler404/400/403/500, answering in the same shape under /api/.
"""

import logging
import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback
from rest_framework_simplejwt.exceptions import InvalidToken

from cafepos.exceptions import ApplicationError, error_body

from . import API_PREFIX
from .parsers import PayloadTooLarge
from .throttling import principal_ident, record

logger = logging.getLogger("cafepos.api")
DATABASE_RETRY_AFTER = 5  # seconds a client waits before retrying while the database is unavailable


# Stable codes for DRF's own exceptions (ApplicationError carries its own code).
DRF_CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.NotAuthenticated: "not_authenticated",
    InvalidToken: "token_invalid",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    PayloadTooLarge: "request_too_large",
}


def flatten_fields(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as `{"items.0.quantity": ["..."]}`; top-level errors under `non_field_errors`."""
    if isinstance(detail, dict):
        flat = {}
        for name, value in detail.items():
            flat.update(flatten_fields(value, f"{prefix}.{name}" if prefix else str(name)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            if value:
                flat.update(flatten_fields(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = [str(item) for item in detail] if isinstance(detail, list) else [str(detail)]
    return {prefix or "non_field_errors": messages}


def _message_of(detail) -> str:
    if isinstance(detail, dict):  # simplejwt's token errors: {"detail", "code", "messages"}
        return str(detail.get("detail") or next(iter(detail.values()), ""))
    if isinstance(detail, list):
        return str(detail[0]) if detail else ""
    return str(detail)


def _code_of(exc: exceptions.APIException) -> str:
    for klass in type(exc).__mro__:
        if klass in DRF_CODES:
            return DRF_CODES[klass]
    return str(exc.default_code)


def _validation_response(fields: dict[str, list[str]]) -> Response:
    first = next(iter(fields.values()), [_("Invalid input.")])[0]
    return Response(
        error_body("validation_error", _("Invalid input: %(first)s") % {"first": first}, fields), status=400
    )


def exception_handler(exc, context) -> Response:
    """Every exception a DRF view raises, as the one error shape; unexpected ones are logged and become 500.

    A request refused before DRF's throttle ran (failed authentication, refused permission) still counts
    against its caller's limit, so credentials cannot be guessed faster than the limit allows.
    """
    set_rollback()
    request = context.get("request")
    if request is not None and not isinstance(exc, exceptions.Throttled):
        usage = record(request, principal_ident(request))
        if usage.exceeded:
            exc = exceptions.Throttled(wait=usage.reset)
    if isinstance(exc, ApplicationError):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return Response(exc.as_dict(), status=exc.status, headers=headers)
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(flatten_fields(exc.detail))
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _validation_response(flatten_fields(detail))
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(max(1, math.ceil(exc.wait)))
        body = error_body(_code_of(exc), _message_of(exc.detail))
        return Response(body, status=exc.status_code, headers=headers)
    if isinstance(exc, OperationalError | InterfaceError):  # the database is down, restarting or refusing clients
        logger.warning(
            "Database unavailable in %s %s (%s)",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc.__class__.__name__,
        )
        body = error_body("service.unavailable", _("The service is briefly unavailable; retry shortly."))
        return Response(body, status=503, headers={"Retry-After": str(DATABASE_RETRY_AFTER)})
    logger.exception("Unexpected error in %s %s", getattr(request, "method", "?"), getattr(request, "path", "?"))
    return Response(error_body("server_error", _("Something went wrong on our side.")), status=500)


# Django's own error views, in the API's shape under /api/ -------------------------------------------


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


@csrf_exempt  # a POST to an unknown API path is a 404 like any other, not a CSRF failure page
def unknown_endpoint(request, *args, **kwargs):
    return not_found(request)


def bad_request(request, exception=None):
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(error_body("request_too_large", PayloadTooLarge.default_detail), status=413)
        return JsonResponse(error_body("bad_request", _("Bad request.")), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("permission_denied", _("You may not do this.")), status=403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(error_body("server_error", _("Something went wrong on our side.")), status=500)
    return defaults.server_error(request)
