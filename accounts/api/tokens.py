"""Staff JWTs: issued on a password or a PIN, rotated on refresh (the used refresh token is refused after that),
blacklisted on logout. Claims: `user_id`, `role`, `location_id`, and `terminal_id` for a PIN login.

The claims describe the caller when the token was issued; every request still checks the live role.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.models import Terminal, User
from accounts.selectors import locations_for, role_at


def token_pair(*, user: User, terminal: Terminal | None = None) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    if terminal is not None:
        refresh["terminal_id"] = terminal.pk
        locations = [terminal.location]
    else:
        locations = list(locations_for(user))
    roles = {role_at(user, location) for location in locations}
    refresh["location_id"] = locations[0].pk if len(locations) == 1 else None
    refresh["role"] = roles.pop() if len(roles) == 1 else None  # one role everywhere (an owner's), else per location
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@transaction.atomic
def token_refresh(raw: str) -> dict[str, str]:
    """A new access and refresh token; the given refresh token is blacklisted, so presenting it again is refused.

    The outstanding row is locked, so two concurrent refreshes with one token cannot both succeed.
    """
    refresh = _valid_refresh(raw)
    outstanding = OutstandingToken.objects.select_for_update(of=("self",)).filter(jti=refresh["jti"]).first()
    if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
        raise InvalidToken(_("Token is blacklisted"))
    BlacklistedToken.objects.create(token=outstanding)
    user = User.objects.filter(pk=refresh.get("user_id"), is_active=True).first()
    if user is None or refresh.get("hash_password") != get_md5_hash_password(user.password):
        raise InvalidToken(_("The account is inactive or its password changed."))
    terminal_id = refresh.get("terminal_id")
    if terminal_id is not None and not Terminal.objects.filter(pk=terminal_id, revoked_at__isnull=True).exists():
        raise InvalidToken(_("The terminal this token was issued on is revoked."))
    refresh.set_jti()
    refresh.set_exp()
    refresh.set_iat()
    refresh.outstand()
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_revoke(raw: str) -> None:
    """Logout: the refresh token can no longer be used (access tokens end with their short lifetime)."""
    _valid_refresh(raw).blacklist()


def _valid_refresh(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)
    except TokenError as error:
        raise InvalidToken(str(error)) from None
