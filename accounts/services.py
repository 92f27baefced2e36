"""Writes and rules for staff, memberships, PINs and terminals."""

import hashlib
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cafepos.api.params import parse_id
from cafepos.exceptions import ApplicationError

from .lockout import Counter, attempt_begin, attempt_failed, attempt_succeeded, counters_clear
from .models import ApiKey, Location, Membership, Role, Terminal, TerminalSignIn, User
from .roles import MANAGERS
from .selectors import location_staff, locations_where, role_at

logger = logging.getLogger(__name__)

PIN_PATTERN = re.compile(r"[0-9]{4,6}")  # ASCII digits: \d would accept other scripts
TERMINAL_SEEN_INTERVAL = timedelta(minutes=1)


def user_create(*, email: str, password: str | None = None, full_name: str = "", pin: str | None = None) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(
            "user.email_taken", _("A user with this email exists."), {"email": [_("Already in use.")]}
        )
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    if pin:
        user_pin_set(user=user, pin=pin)
    return user


def pin_validate(pin: str) -> None:
    if not PIN_PATTERN.fullmatch(pin or ""):
        raise ApplicationError("user.invalid_pin", _("A PIN is 4 to 6 digits."), {"pin": [_("Use 4 to 6 digits.")]})


def user_pin_set(*, user: User, pin: str) -> None:
    """Store a 4–6 digit PIN, hashed with Django's password hashers. PINs need not be unique."""
    pin_validate(pin)
    user.pin_hash = make_password(pin)
    user.save(update_fields=["pin_hash"])


def user_language_set(*, user: User, language: str) -> None:
    """The back office's language for this user on every device; blank: their browser's."""
    user.language = language
    user.save(update_fields=["language"])


def membership_set(*, user: User, location: Location, role: str, is_active: bool = True) -> Membership:
    """Give a user a role at a location (or change it), keeping admin access in step with the role."""
    if role not in Role.values:
        raise ApplicationError(
            "membership.invalid_role", _("Unknown role %(role)r.") % {"role": role}, {"role": [_("Unknown role.")]}
        )
    membership, _created = Membership.objects.update_or_create(
        user=user, location=location, defaults={"role": role, "is_active": is_active}
    )
    user_back_office_sync(user=user)
    return membership


def membership_remove(*, membership: Membership) -> None:
    """Take a role away; admin access follows."""
    user = membership.user
    membership.delete()
    user_back_office_sync(user=user)


def user_back_office_sync(*, user: User) -> None:
    """Admin access (`is_staff`) follows the roles: owners and managers only."""
    is_staff = user.is_superuser or user.memberships.filter(is_active=True, role__in=MANAGERS).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


# Stored credentials: terminal secrets and API keys -----------------------------------------------------


def credential_hash(secret: str) -> str:
    """The stored form of a terminal secret or an API key: 256 random bits, so a fast hash is as strong as a slow
    one here."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _credential_find(model, *, hash_field: str, seen_field: str, secret: str | None, seen_every: timedelta):
    """The unrevoked `model` row (with its location and organization) whose `hash_field` is the hash of `secret`,
    or None; its `seen_field` is stamped at most once per `seen_every`.

    The row is found by its hash, never by comparing the secret: a wrong guess costs the same one indexed
    lookup however close it is, so the time an answer takes says nothing about the secret.
    """
    if not secret:
        return None
    found = (
        model.objects.select_related("location", "location__organization")
        .filter(**{hash_field: credential_hash(secret)}, revoked_at__isnull=True)
        .first()
    )
    if found is not None:
        now = timezone.now()
        last_seen = getattr(found, seen_field)
        if last_seen is None or now - last_seen > seen_every:
            model.objects.filter(pk=found.pk).update(**{seen_field: now})
    return found


# Terminals -------------------------------------------------------------------------------------------


def terminal_pair_locations(*, email: str, password: str, client_ip: str = "") -> list[Location]:
    """Check a manager's credentials; the locations they may pair a terminal to (at least one)."""
    return _pairing_manager(email, password, client_ip)[1]


def _pairing_manager(email: str, password: str, client_ip: str) -> tuple[User, list[Location]]:
    """The manager's password is checked as an API login is, with the same lockout against guessing."""
    user = password_login(email=email, password=password, client_ip=client_ip)
    candidates = list(locations_where(user, MANAGERS))
    if not candidates:
        raise ApplicationError("terminal.forbidden", _("Only a manager or owner can pair a terminal."), status=403)
    return user, candidates


def terminal_pair(
    *, email: str, password: str, name: str, kind: str, location_id: int | None = None, client_ip: str = ""
) -> tuple[Terminal, str]:
    """Pair a browser to a location on a manager's credentials; returns the terminal and its secret, shown once.

    Wrong passwords count towards the lockout of that email from `client_ip` (429), as API logins do.
    """
    manager, candidates = _pairing_manager(email, password, client_ip)
    if location_id is not None:
        location = next((loc for loc in candidates if str(loc.id) == str(location_id)), None)
        if location is None:
            raise ApplicationError(
                "terminal.bad_location", _("Pick one of your locations."), {"location": [_("Not yours.")]}
            )
    elif len(candidates) == 1:
        location = candidates[0]
    else:
        raise ApplicationError("location.required", _("Pick a location."), {"location": [_("Required.")]})
    if kind not in Terminal.Kind.values:
        raise ApplicationError("terminal.bad_kind", _("Pick POS or KITCHEN."), {"kind": [_("Unknown kind.")]})
    name = (name or "").strip()
    if not name:
        raise ApplicationError("terminal.name_required", _("Name the terminal."), {"name": [_("Required.")]})
    secret = secrets.token_urlsafe(32)
    terminal = Terminal.objects.create(
        location=location,
        name=name[:100],
        kind=kind,
        secret_hash=credential_hash(secret),
        paired_by=manager,
    )
    return terminal, secret


def terminal_authenticate(secret: str | None) -> Terminal | None:
    """The active terminal a device credential belongs to, or None; records it was seen at most once a minute."""
    return _credential_find(
        Terminal, hash_field="secret_hash", seen_field="last_seen_at", secret=secret, seen_every=TERMINAL_SEEN_INTERVAL
    )


def terminal_revoke(*, terminal: Terminal) -> None:
    if terminal.revoked_at is None:
        terminal.revoked_at = timezone.now()
        terminal.save(update_fields=["revoked_at"])


# PIN login and lockout -----------------------------------------------------------------------------


def _pin_counter(terminal_id: int, user_id: int) -> Counter:
    return Counter(f"pin-failures:{terminal_id}:{user_id}", settings.PIN_MAX_FAILURES, settings.PIN_LOCKOUT_SECONDS)


def pin_login(*, terminal: Terminal, user_id: int, pin: str) -> User:
    """Check a staff member's PIN on a terminal; lock that pair out after too many failures (429).

    At most PIN_MAX_FAILURES PINs are checked per pair and window, however many requests race (accounts.lockout).
    """
    user = User.objects.filter(pk=user_id, is_active=True).first() if parse_id(user_id) else None
    if user is None or role_at(user, terminal.location) is None:
        raise ApplicationError(
            "pin.unknown_staff", _("Pick a staff member of this location."), {"staff": [_("Unknown.")]}
        )
    counter = _pin_counter(terminal.id, user.id)
    attempt = attempt_begin([counter])
    if attempt.locked:
        raise _locked_error(attempt.locked.retry_after)
    if user.pin_hash and check_password(pin or "", user.pin_hash):
        attempt_succeeded(reset=[counter])
        TerminalSignIn.objects.update_or_create(terminal=terminal, user=user, defaults={"signed_in_at": timezone.now()})
        return user
    locked = attempt_failed(attempt)
    if locked:
        logger.warning(
            "PIN locked out: staff %s on terminal %s after %s wrong PINs", user.id, terminal.id, counter.maximum
        )
        raise _locked_error(locked.retry_after)
    left = attempt.tries_left(counter)
    message = ngettext("Wrong PIN. %(left)s try left.", "Wrong PIN. %(left)s tries left.", left) % {"left": left}
    raise ApplicationError("pin.invalid", message, {"pin": [_("Wrong PIN.")]}, status=401)


def _locked_error(retry_after: int) -> ApplicationError:
    return ApplicationError(
        "pin.locked",
        _("Too many wrong PINs. Ask a manager to unlock, or wait."),
        {"pin": [_("Locked.")]},
        status=429,
        retry_after=retry_after,
    )


def pin_lockouts_clear(*, terminal: Terminal) -> None:
    """A manager's unlock: clear every staff member's PIN lockout on this terminal at once."""
    staff_ids = location_staff(terminal.location).values_list("pk", flat=True)
    counters_clear([_pin_counter(terminal.id, uid).key for uid in staff_ids])


def pin_manager_confirm(*, terminal: Terminal, manager_id: int, pin: str, action: str | None = None) -> User:
    """A manager or owner of the terminal's location confirms an action with their own PIN (same lockouts)."""
    manager = pin_login(terminal=terminal, user_id=manager_id, pin=pin)
    if role_at(manager, terminal.location) not in MANAGERS:
        raise ApplicationError(
            "pin.not_manager",
            _("Only a manager can %(action)s.") % {"action": action or _("approve this")},
            {"staff": [_("Not a manager.")]},
            status=403,
        )
    return manager


def pin_unlock_by_manager(*, terminal: Terminal, manager_id: int, pin: str) -> User:
    """Unlock from the terminal itself: a manager or owner of the location confirms with their own PIN."""
    manager = pin_manager_confirm(terminal=terminal, manager_id=manager_id, pin=pin, action=_("unlock"))
    pin_lockouts_clear(terminal=terminal)
    return manager


# API logins and keys ---------------------------------------------------------------------------------

API_KEY_USE_INTERVAL = timedelta(minutes=1)


def password_login(*, email: str, password: str, client_ip: str = "") -> User:
    """Check an email and password (API tokens, terminal pairing, the admin login) under the sign-in lockout.

    Counted per email and client address (LOGIN_MAX_FAILURES: nobody can lock the owner out from elsewhere) and
    per client address across emails (LOGIN_MAX_FAILURES_PER_ADDRESS, against password spraying); past either,
    429 `auth.locked` with Retry-After, the right password included, until the window ends.
    """
    email = (email or "").strip().lower()
    pair = hashlib.sha256(f"{email}|{client_ip}".encode()).hexdigest()[:32]
    address = hashlib.sha256(client_ip.encode()).hexdigest()[:32]
    by_pair = Counter(f"login-failures:{pair}", settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_SECONDS)
    by_address = Counter(
        f"login-address-failures:{address}", settings.LOGIN_MAX_FAILURES_PER_ADDRESS, settings.LOGIN_LOCKOUT_SECONDS
    )
    attempt = attempt_begin([by_pair, by_address])
    if attempt.locked:
        raise _login_locked_error(attempt.locked.retry_after)
    user = authenticate(username=email, password=password or "")
    if user is not None:
        attempt_succeeded(reset=[by_pair], release=[by_address])
        return user
    locked = attempt_failed(attempt)
    if locked:
        what = "email and address" if locked.counter is by_pair else "address"
        logger.warning(
            "Password locked out: %s %s from %s after %s wrong passwords", what, pair, client_ip, locked.counter.maximum
        )
        raise _login_locked_error(locked.retry_after)
    raise ApplicationError("auth.invalid_credentials", _("Email or password is wrong."), status=401)


def _login_locked_error(retry_after: int) -> ApplicationError:
    return ApplicationError(
        "auth.locked", _("Too many wrong passwords. Wait before trying again."), status=429, retry_after=retry_after
    )


def api_key_create(*, location: Location, name: str, scopes: list[str], created_by: User | None) -> tuple[ApiKey, str]:
    """A third party's key for one location, and its plain value: shown once, never stored."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("api_key.name_required", _("Name the key."), {"name": [_("Required.")]})
    unknown = sorted(set(scopes) - set(ApiKey.SCOPES))
    if unknown or not scopes:
        message = (
            _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}
            if unknown
            else _("Pick at least one scope.")
        )
        raise ApplicationError("api_key.invalid_scopes", message, {"scopes": [message]})
    prefix = f"cpk_{secrets.token_hex(4)}"
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        location=location,
        name=name[:100],
        prefix=prefix,
        key_hash=credential_hash(key),
        scopes=[scope for scope in ApiKey.SCOPES if scope in scopes],
        created_by=created_by,
    )
    return api_key, key


def api_key_revoke(*, api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])


def api_key_authenticate(key: str | None) -> ApiKey | None:
    """The active key a plain value belongs to, or None; records its use at most once a minute."""
    return _credential_find(
        ApiKey, hash_field="key_hash", seen_field="last_used_at", secret=key, seen_every=API_KEY_USE_INTERVAL
    )
