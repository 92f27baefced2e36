"""OpenAPI security schemes for the API's authentication classes (registered by importing this module)."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JWTScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.JWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An access token from POST /api/v1/auth/token/ or /api/v1/auth/pin/.",
        }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a third party's key for one location, created by an owner in admin.",
        }


class TerminalScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.TerminalAuthentication"
    name = ["terminalAuth", "terminalStaff"]  # both headers together

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`Terminal <device secret>`: a paired terminal's credential.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Staff-Id",
                "description": "The id of the staff member of the terminal's location the terminal acts for.",
            },
        ]


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.SessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A back-office session; writes need the X-CSRFToken header.",
        }
