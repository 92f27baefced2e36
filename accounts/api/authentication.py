"""The API's four ways in. Each puts a `Principal` in `request.auth`; `request.user` is the staff member
(AnonymousUser for API keys).

- `Authorization: Bearer <access JWT>` — from /api/v1/auth/token/ (email + password) or /auth/pin/.
- `Authorization: Api-Key <key>` — a third party's key for one location, with scopes.
- `Authorization: Terminal <device secret>` plus `X-Staff-Id: <user id>` — a paired terminal acting for a
  staff member of its location who signed in there with their PIN in the last 24 hours (queued offline orders
  synced after a staff session ended). Acting for someone not signed in right now is "delegated": only
  endpoints declared `Allow(delegable=True)` (quote, create, add items, payments) accept it, never a read, and
  the named staff member's role approves nothing (see `access.delegation_allowed` and `order_create`).
  The POS and kitchen pages' own calls send the terminal cookie instead: with the PIN session opened on that
  terminal, or with `X-Staff-Id`; both are cookie-borne, so they need the CSRF token like every session write.
- A Django session (an owner or manager signed in to the back office), CSRF-checked on writes.
"""

from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework_simplejwt import authentication as jwt_authentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken
from rest_framework_simplejwt.utils import aware_utcnow

from accounts.models import Terminal, User
from accounts.selectors import StaffAccess, role_at, signed_in_recently, staff_access
from accounts.services import api_key_authenticate, terminal_authenticate
from accounts.terminal_auth import current_terminal, is_pin_session, terminal_staff
from cafepos.api.params import parse_id
from cafepos.api.throttling import record_and_read

from . import schema  # noqa: F401 (registers the OpenAPI security schemes of these classes)
from .principal import Principal

STAFF_HEADER = "X-Staff-Id"


def _credentials(request, keyword: str) -> str | None:
    """The value after `keyword` in the Authorization header, None if another scheme is used."""
    parts = authentication.get_authorization_header(request).split()
    if not parts or parts[0].decode("latin-1").lower() != keyword.lower():
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed(
            _("Send `Authorization: %(keyword)s <credential>`.") % {"keyword": keyword}
        )
    return parts[1].decode("latin-1")


@lru_cache(maxsize=4096)
def _access_token_verified(raw_token: bytes) -> AccessToken:
    """An access token's signature, type and claims, checked once per process; its expiry on every use."""
    return AccessToken(raw_token)


class JWTAuthentication(jwt_authentication.JWTAuthentication):
    """simplejwt's Bearer tokens; a token obtained with a PIN stays bound to its terminal's location.

    The user, their locations and roles come from `staff_access` (cached, no query), with simplejwt's checks:
    the user exists, is active, and the token carries the digest of their current password.
    """

    def authenticate(self, request):
        header = self.get_header(request)
        raw_token = self.get_raw_token(header) if header is not None else None
        if raw_token is None:
            return None
        token = self.get_validated_token(raw_token)
        access = self._access(request, token)
        terminal = None
        if token.get("terminal_id") is not None:
            terminal = Terminal.objects.select_related("location").filter(pk=token["terminal_id"]).first()
            if terminal is None or not terminal.is_active:
                raise exceptions.AuthenticationFailed(_("The terminal this token was issued on is revoked."))
        location = terminal.location if terminal else None
        principal = Principal(kind="user", user=access.user, terminal=terminal, location=location, access=access)
        return access.user, principal

    def get_validated_token(self, raw_token: bytes):
        try:
            token = _access_token_verified(raw_token)
            token.check_exp(current_time=aware_utcnow())
            return token
        except TokenError:
            return super().get_validated_token(raw_token)  # raises simplejwt's own error

    def _access(self, request, token) -> StaffAccess:
        user_id = parse_id(token.get(jwt_settings.USER_ID_CLAIM))
        if user_id is None:
            raise InvalidToken(_("Token contained no recognizable user identification"))
        ident = f"user:{user_id}"  # the principal's key: counted for the rate limit in the same round trip
        access = staff_access(user_id, read=lambda keys: record_and_read(request, ident, keys))
        if access is None:
            raise exceptions.AuthenticationFailed(_("User not found"), code="user_not_found")
        if not access.user.is_active:
            raise exceptions.AuthenticationFailed(_("User is inactive"), code="user_inactive")
        if jwt_settings.CHECK_REVOKE_TOKEN and token.get(jwt_settings.REVOKE_TOKEN_CLAIM) != access.password_digest:
            raise exceptions.AuthenticationFailed(_("The user's password has been changed."), code="password_changed")
        return access


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        key = _credentials(request, self.keyword)
        if key is None:
            return None
        api_key = api_key_authenticate(key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked API key."))
        return AnonymousUser(), Principal(kind="api_key", api_key=api_key, location=api_key.location)

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class TerminalAuthentication(authentication.SessionAuthentication):
    keyword = "Terminal"

    def authenticate(self, request):
        secret = _credentials(request, self.keyword)
        if secret is not None:
            terminal = terminal_authenticate(secret)
            if terminal is None:
                raise exceptions.AuthenticationFailed(_("Unknown or revoked terminal."))
            return self._acting(terminal, _staff(request, terminal, signed_in=None, required=True), delegated=True)
        terminal = current_terminal(request._request)  # the pages' own calls: the terminal cookie
        if terminal is None:
            return None
        signed_in = terminal_staff(request._request, terminal)
        user = _staff(request, terminal, signed_in=signed_in, required=False) or signed_in
        if user is None:
            return None
        self.enforce_csrf(request)
        return self._acting(terminal, user, delegated=user != signed_in)

    def _acting(self, terminal: Terminal, user: User, *, delegated: bool):
        principal = Principal(
            kind="terminal", user=user, terminal=terminal, location=terminal.location, delegated=delegated
        )
        return user, principal

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def _staff(request, terminal: Terminal, *, signed_in: User | None, required: bool) -> User | None:
    """The staff member X-Staff-Id names: the one signed in on the terminal now, or one who signed in lately."""
    staff_id = request.headers.get(STAFF_HEADER, "").strip()
    if not staff_id:
        if required:
            raise exceptions.AuthenticationFailed(
                _("Send %(header)s with the staff member's id.") % {"header": STAFF_HEADER}
            )
        return None
    user_id = parse_id(staff_id)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or role_at(user, terminal.location) is None:
        raise exceptions.AuthenticationFailed(
            _("%(staff_header)s is not a staff member of this terminal's location.") % {"staff_header": STAFF_HEADER}
        )
    if user != signed_in and not signed_in_recently(terminal=terminal, user=user):
        raise exceptions.AuthenticationFailed(
            _("%(staff_header)s has not signed in with their PIN on this terminal lately.")
            % {"staff_header": STAFF_HEADER}
        )
    return user


class SessionAuthentication(authentication.SessionAuthentication):
    """A back-office session; a PIN session belongs to its terminal and is handled by TerminalAuthentication."""

    def authenticate(self, request):
        if is_pin_session(request._request):
            return None
        result = super().authenticate(request)
        if result is None:
            return None
        return result[0], Principal(kind="user", user=result[0])
