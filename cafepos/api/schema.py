"""OpenAPI generation: the error shape as a named component on every operation, and `?location=`.

Every operation documents its error responses with the `Error` component; operations about one location
(per the view's `access` rule) document the `location` query parameter.
"""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code to branch on, e.g. `order.illegal_transition`.")
    message = serializers.CharField(help_text="A sentence for people; may change.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field (dotted paths such as `items.0.quantity`); empty when none.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Illegal transition",
            value={
                "error": {
                    "code": "order.illegal_transition",
                    "message": "A CANCELLED order cannot become SERVED.",
                    "fields": {},
                }
            },
        ),
        OpenApiExample(
            "Validation error",
            value={
                "error": {
                    "code": "validation_error",
                    "message": "Invalid input: A valid integer is required.",
                    "fields": {"items.0.quantity": ["A valid integer is required."]},
                }
            },
        ),
    ]
)
class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERRORS = {
    400: "Invalid input (`validation_error`) or a refused operation, e.g. `location.required`.",
    401: "No credentials, or credentials that are wrong, expired or revoked.",
    403: "The caller's role or the API key's scopes do not allow this.",
    404: "No such object at the caller's location (objects of other locations are 404 too).",
    429: "Too many requests; see `Retry-After`.",
    500: "An unexpected error, logged on the server.",
}
WRITE_ERRORS = {
    409: "A conflict: stale `version`, illegal transition, or an `Idempotency-Key` reused or in progress.",
    413: "The body is larger than the server accepts.",
}
LOCATION_PARAMETER = OpenApiParameter(
    "location",
    int,
    OpenApiParameter.QUERY,
    description="The location to act on. Needed only by callers with several locations (else 400 "
    "`location.required`); a body may send `location_id` instead.",
)


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {**ERRORS, **(WRITE_ERRORS if self.method in ("POST", "PUT", "PATCH") else {})}
        for status, description in sorted(errors.items()):
            response = OpenApiResponse(ErrorSerializer, description=description)
            responses.setdefault(str(status), self._get_response_for_code(response, str(status), direction=direction))
        return responses

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        action = getattr(self.view, "action", None) or self.method.lower()
        rule = getattr(self.view, "access", {}).get(action)
        if getattr(rule, "per_location", False):
            parameters = [*parameters, LOCATION_PARAMETER]
        return parameters
