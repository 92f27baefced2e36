"""Authentication endpoints, and who the caller is: `/auth/...`, `/me/`, `/locations/`."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.access import ANY_CALLER
from accounts.api.tokens import token_pair, token_refresh, token_revoke
from accounts.selectors import role_at
from accounts.services import password_login, pin_login, terminal_authenticate
from cafepos.api.throttling import client_ip
from cafepos.exceptions import ApplicationError

from . import serializers


class PublicView(APIView):
    """Login endpoints: no credentials needed (they are limited per client address by the throttle)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'  # without it DRF turns this view's 401s into 403s

    def valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class PasswordLoginView(PublicView):
    """Email and password to an access and a refresh token. Wrong passwords lock the email out (429)."""

    @extend_schema(
        operation_id="auth_token",
        summary="Log in with email and password",
        request=serializers.PasswordLoginSerializer,
        responses={200: serializers.TokenPairSerializer},
        auth=[],
    )
    def post(self, request):
        data = self.valid(serializers.PasswordLoginSerializer)
        user = password_login(email=data["email"], password=data["password"], client_ip=client_ip(request))
        return Response(token_pair(user=user))


class PinLoginView(PublicView):
    """A staff member's PIN on a paired terminal to tokens bound to the terminal's location."""

    @extend_schema(
        operation_id="auth_pin",
        summary="Log in with a staff member's PIN on a terminal",
        description="The token is bound to the terminal's location. Wrong PINs lock that staff member out "
        "on that terminal (429 with Retry-After), shared with the terminal's own login page.",
        request=serializers.PinLoginSerializer,
        responses={200: serializers.TokenPairSerializer},
        auth=[],
    )
    def post(self, request):
        data = self.valid(serializers.PinLoginSerializer)
        terminal = terminal_authenticate(data["terminal_secret"])
        if terminal is None:
            raise ApplicationError("auth.terminal_invalid", _("Unknown or revoked terminal."), status=401)
        user = pin_login(terminal=terminal, user_id=data["staff_id"], pin=data["pin"])
        return Response(token_pair(user=user, terminal=terminal))


class RefreshView(PublicView):
    """A refresh token to a new pair; the one sent is used up."""

    @extend_schema(
        operation_id="auth_token_refresh",
        summary="Exchange a refresh token for a new pair",
        description="The refresh token is rotated: the one sent is blacklisted, and sending it again is a 401.",
        request=serializers.RefreshSerializer,
        responses={200: serializers.TokenPairSerializer},
        auth=[],
    )
    def post(self, request):
        return Response(token_refresh(self.valid(serializers.RefreshSerializer)["refresh"]))


class LogoutView(PublicView):
    """Blacklist a refresh token; access tokens end with their short lifetime."""

    @extend_schema(
        operation_id="auth_logout",
        summary="Log out: blacklist a refresh token",
        request=serializers.RefreshSerializer,
        responses={204: None},
        auth=[],
    )
    def post(self, request):
        token_revoke(self.valid(serializers.RefreshSerializer)["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


def _locations_with_roles(principal):
    locations = list(principal.locations().select_related("organization"))
    for location in locations:
        location.role = role_at(principal.user, location) if principal.user else None
    return locations


class MeView(APIView):
    """The caller: staff member, terminal or API key, with the role at each of their locations."""

    access = {"get": ANY_CALLER}

    @extend_schema(
        operation_id="me", summary="The caller, and their role per location", responses=serializers.MeSerializer
    )
    def get(self, request):
        principal = request.auth
        me = {
            "kind": principal.kind,
            "user": principal.user,
            "terminal": principal.terminal,
            "api_key": principal.api_key,
            "locations": _locations_with_roles(principal),
        }
        return Response(serializers.MeSerializer(me).data)


class LocationListView(APIView):
    """The locations the caller may act on."""

    access = {"get": ANY_CALLER}

    @extend_schema(
        operation_id="locations_list", summary="The caller's locations", responses=serializers.LocationListSerializer
    )
    def get(self, request):
        locations = _locations_with_roles(request.auth)
        return Response(serializers.LocationListSerializer({"results": locations}).data)
