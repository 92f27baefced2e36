"""OpenAPI generation: the error shape as a named component on every operation, and `?location=`.

Every operation documents its error responses with the `Error` component; operations about one location
(per the view's `access` rule) document the `location` query parameter.
"""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from cafepos.api.params import MAX_ID


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code to branch on, e.g. `order.illegal_transition`.")
    message = serializers.CharField(help_text="A sentence for people; may change.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field (dotted paths such as `items.0.quantity`); empty when none.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# status: (description, example code, example message, example fields)
ERRORS = {
    400: (
        "Invalid input (`validation_error`) or a refused operation, e.g. `location.required`.",
        "validation_error",
        "Invalid input: A valid integer is required.",
        {"items.0.quantity": ["A valid integer is required."]},
    ),
    401: (
        "No credentials, or wrong, expired or revoked ones.",
        "not_authenticated",
        "Authentication credentials were not provided.",
        {},
    ),
    403: (
        "The caller's role or the API key's scopes do not allow this.",
        "permission_denied",
        "Your role at this location may not do this.",
        {},
    ),
    404: ("No such object at the caller's location (other locations' objects too).", "not_found", "Not found.", {}),
    429: ("Too many requests; wait `Retry-After` seconds.", "rate_limited", "Request was throttled.", {}),
    500: ("An unexpected error, logged on the server.", "server_error", "Something went wrong on our side.", {}),
}
WRITE_ERRORS = {
    409: (
        "A conflict: stale `version`, illegal transition, or an `Idempotency-Key` reused or in progress.",
        "order.version_conflict",
        "The order has changed since version 3 (it is at 4); reload it and retry.",
        {"version": ["Current version is 4."]},
    ),
    413: ("The body is larger than the server accepts.", "request_too_large", "The request body is too large.", {}),
}


def error_response(description: str, code: str, message: str, fields: dict) -> OpenApiResponse:
    example = OpenApiExample(code, value={"error": {"code": code, "message": message, "fields": fields}})
    return OpenApiResponse(ErrorSerializer, description=description, examples=[example])


LOCATION_PARAMETER = OpenApiParameter(
    "location",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.QUERY,
    description="The location to act on. Needed only by callers with several locations (else 400 "
    "`location.required`); a body may send `location_id` instead.",
)


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {**ERRORS, **(WRITE_ERRORS if self.method in ("POST", "PUT", "PATCH") else {})}
        for status, error in sorted(errors.items()):
            response = error_response(*error)
            responses.setdefault(str(status), self._get_response_for_code(response, str(status), direction=direction))
        return responses

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        action = getattr(self.view, "action", None) or self.method.lower()
        rule = getattr(self.view, "access", {}).get(action)
        if getattr(rule, "per_location", False):
            parameters = [*parameters, LOCATION_PARAMETER]
        return parameters
