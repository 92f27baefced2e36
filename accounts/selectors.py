"""Reads about staff, locations and terminals, and the one scoping helper every app uses."""

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError
from rest_framework_simplejwt.utils import get_md5_hash_password

from cafepos.versioned_cache import version_bump

from .models import Location, Membership, Organization, Role, Terminal, TerminalSignIn, User
from .roles import MANAGERS

ROLE_RANK = {Role.OWNER: 0, Role.MANAGER: 1, Role.CASHIER: 2, Role.KITCHEN: 3}  # highest first


def locations_for(user) -> QuerySet[Location]:
    """The locations a user may see: every one for a superuser, the organization's for an owner, else their own."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Location.objects.none()
    if user.is_superuser:
        return Location.objects.all()
    memberships = Membership.objects.filter(user=user, is_active=True)
    owned_orgs = memberships.filter(role=Role.OWNER).values("location__organization_id")
    return Location.objects.filter(
        Q(organization_id__in=owned_orgs) | Q(id__in=memberships.values("location_id"))
    ).distinct()


def scope_to_user(queryset: QuerySet, user, *, location_field: str = "location") -> QuerySet:
    """Restrict any queryset to rows of the user's locations (`location_field` is the path to a Location)."""
    return scope_to_locations(queryset, locations_for(user), location_field=location_field)


def scope_to_locations(queryset: QuerySet, locations: QuerySet[Location], *, location_field: str = "location"):
    """Restrict a queryset to rows of `locations`; `location_field` "self" when the rows are locations."""
    if location_field in ("", "self"):
        return queryset.filter(pk__in=locations.values("pk"))
    lookup = {f"{location_field}__in": locations}
    if _crosses_to_many(queryset.model, location_field):
        # Filtering through a to-many relation (e.g. a user's memberships) would repeat rows.
        return queryset.filter(pk__in=queryset.model._base_manager.filter(**lookup).values("pk"))
    return queryset.filter(**lookup)


def _crosses_to_many(model, path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def role_at(user, location: Location) -> str | None:
    """The user's role at a location: OWNER through any owner membership in its organization.

    A user loaded by `staff_access` (an API request's caller) answers from the roles read with it, the ones the
    request was authorized with (no query).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if (access_roles := getattr(user, "access_roles", None)) is not None:
        return access_roles.get(location.pk)
    memberships = (
        Membership.objects.filter(user=user, is_active=True)
        .filter(Q(location=location) | Q(role=Role.OWNER, location__organization_id=location.organization_id))
        .values_list("location_id", "location__organization_id", "role")
    )
    return _role_from(memberships, location)


def _role_from(memberships, location: Location) -> str | None:
    """The highest role `(location id, organization id, role)` memberships give at `location`: one there, or
    OWNER through an owner membership anywhere in its organization."""
    roles = {
        role
        for location_id, organization_id, role in memberships
        if location_id == location.pk or (role == Role.OWNER and organization_id == location.organization_id)
    }
    return min(roles, key=ROLE_RANK.__getitem__, default=None)


def is_back_office_user(user) -> bool:
    """Owners and managers (and superusers) may use the admin back office."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, is_active=True, role__in=MANAGERS).exists()


def is_owner(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or Membership.objects.filter(user=user, is_active=True, role=Role.OWNER).exists()
    )


def _staff_memberships(location: Location) -> QuerySet[Membership]:
    """Active memberships that make someone staff of a location: theirs there, or ownership of its organization."""
    return Membership.objects.filter(is_active=True, user__is_active=True).filter(
        Q(location=location) | Q(role=Role.OWNER, location__organization_id=location.organization_id)
    )


def location_staff(location: Location) -> QuerySet[User]:
    """Staff who may log in on the location's terminals: active members (and owners) with a PIN set."""
    user_ids = _staff_memberships(location).values("user_id")
    return User.objects.filter(pk__in=user_ids).exclude(pin_hash="").order_by("full_name", "email")


def staff_tiles(location: Location) -> list[tuple[User, Role]]:
    """`(user, role)` for each tile of a terminal's login page, in one query; the highest role wins."""
    best: dict[int, tuple[User, str]] = {}
    memberships = _staff_memberships(location).exclude(user__pin_hash="").select_related("user")
    for membership in memberships:
        current = best.get(membership.user_id)
        if current is None or ROLE_RANK[membership.role] < ROLE_RANK[current[1]]:
            best[membership.user_id] = (membership.user, membership.role)
    tiles = [(user, Role(role)) for user, role in best.values()]
    return sorted(tiles, key=lambda tile: (tile[0].display_name.lower(), tile[0].email))


def organizations_for(user) -> QuerySet[Organization]:
    """Organizations a user owns (every one for a superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    owned = Membership.objects.filter(user=user, is_active=True, role=Role.OWNER).values("location__organization_id")
    return Organization.objects.filter(pk__in=owned)


def locations_where(user, roles=MANAGERS) -> QuerySet[Location]:
    """The locations where a user holds one of `roles` (an owner holds OWNER at every location of the organization)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Location.objects.none()
    if user.is_superuser:
        return Location.objects.all()
    memberships = Membership.objects.filter(user=user, is_active=True)
    local_roles = [role for role in roles if role != Role.OWNER]
    granted = Q(id__in=memberships.filter(role__in=local_roles).values("location_id"))
    if Role.OWNER in roles:
        granted |= Q(organization_id__in=memberships.filter(role=Role.OWNER).values("location__organization_id"))
    return Location.objects.filter(granted)


def terminals_for(user) -> QuerySet[Terminal]:
    return scope_to_user(Terminal.objects.select_related("location"), user)


TERMINAL_SIGN_IN_WINDOW = timedelta(hours=24)


def signed_in_recently(*, terminal: Terminal, user: User) -> bool:
    """Whether `user` signed in with their PIN on `terminal` within TERMINAL_SIGN_IN_WINDOW."""
    since = timezone.now() - TERMINAL_SIGN_IN_WINDOW
    return TerminalSignIn.objects.filter(terminal=terminal, user=user, signed_in_at__gte=since).exists()


# What authorizes a staff member's API request, cached ---------------------------------------------------------
#
# An API request needs its caller's account, locations and roles. They are cached in the shared cache under
# explicit keys, as the menu is: `staff-access:<user id>:version` holds a random token replaced whenever the
# user or their memberships change (`accounts.signals`: at once and again after commit), `staff-access:
# generation` one replaced whenever a location changes (an owner's locations follow their organization's), and
# `staff-access:<user id>` the snapshot with the two tokens it was read under. A reader takes the three keys in
# one round trip and uses the snapshot only if both tokens match, so a snapshot read from the database before a
# change commits is never used after it, in any process. Redis unreachable: read from the database.

STAFF_ACCESS_GENERATION_KEY = "staff-access:generation"
# In the model's field order, as `Model.from_db` expects them.
_USER_FIELDS = tuple(
    field.attname
    for field in User._meta.concrete_fields
    if field.attname in ("id", "email", "full_name", "is_active", "is_staff", "is_superuser")
)
_LOCATION_FIELDS = tuple(field.attname for field in Location._meta.concrete_fields)


@dataclass(frozen=True)
class StaffAccess:
    """A staff member's account, locations (`locations_for`) and role at each (`role_at`), as of one moment.

    `user` carries only `_USER_FIELDS`; any other field (password, PIN hash) is read from the database when
    first used, and saving it saves only the loaded fields.
    """

    user: User
    password_digest: str  # simplejwt's hash of the password, which a token must carry (CHECK_REVOKE_TOKEN)
    locations: tuple[Location, ...]
    roles: dict[int, str]

    def role_at(self, location: Location) -> str | None:
        return self.roles.get(location.pk)


def _staff_access_keys(user_id: int) -> tuple[str, str]:
    return f"staff-access:{user_id}:version", f"staff-access:{user_id}"


def staff_access_invalidate(user_id: int) -> None:
    """Make a user's cached access stale (`accounts.signals` calls it for every change of user or membership)."""
    version_bump(_staff_access_keys(user_id)[0], what=f"staff access of user {user_id}")


def staff_access_invalidate_all() -> None:
    """Make every cached access stale (a location changed)."""
    version_bump(STAFF_ACCESS_GENERATION_KEY, what="staff access of every user")


def staff_access(user_id: int, *, read=None) -> StaffAccess | None:
    """The user's access from the cache (no query), else from the database (three queries); None: no such user.

    `read(keys)` fetches the cache keys (default `cache.get_many`): API authentication also counts the request
    for the rate limit in that round trip.
    """
    version_key, entry_key = _staff_access_keys(user_id)
    try:
        cached = (read or cache.get_many)([version_key, STAFF_ACCESS_GENERATION_KEY, entry_key])
        tokens = (_token(cached, version_key), _token(cached, STAFF_ACCESS_GENERATION_KEY))
    except (ConnectionInterrupted, RedisError):  # django-redis re-raises the client's own error
        return _staff_access_thawed(_staff_access_read(user_id))
    entry = cached.get(entry_key)
    if entry is not None and entry["tokens"] == tokens:
        return _staff_access_thawed(entry["access"])
    frozen = _staff_access_read(user_id)
    if frozen is not None:
        with suppress(ConnectionInterrupted, RedisError):
            cache.set(entry_key, {"tokens": tokens, "access": frozen}, timeout=settings.STAFF_ACCESS_CACHE_TTL)
    return _staff_access_thawed(frozen)


def _token(cached: dict, key: str) -> str:
    token = cached.get(key)
    if token is None:
        cache.add(key, secrets.token_hex(8), timeout=None)  # the first reader; never replaces a writer's token
        token = cache.get(key)
    return token


def _staff_access_read(user_id: int) -> dict | None:
    """The snapshot as plain values (what the cache stores), read from the database."""
    user = User.objects.filter(pk=user_id).only(*_USER_FIELDS, "password").first()
    if user is None:
        return None
    locations = list(locations_for(user))
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).values_list(
            "location_id", "location__organization_id", "role"
        )
    )
    roles = {location.pk: role for location in locations if (role := _role_from(memberships, location))}
    return {
        "user": [getattr(user, name) for name in _USER_FIELDS],
        "password_digest": get_md5_hash_password(user.password),
        "locations": [[getattr(location, name) for name in _LOCATION_FIELDS] for location in locations],
        "roles": roles,
    }


def _staff_access_thawed(frozen: dict | None) -> StaffAccess | None:
    if frozen is None:
        return None
    user = User.from_db(DEFAULT_DB_ALIAS, _USER_FIELDS, frozen["user"])
    user.access_roles = frozen["roles"]  # for `role_at`
    return StaffAccess(
        user=user,
        password_digest=frozen["password_digest"],
        locations=tuple(Location.from_db(DEFAULT_DB_ALIAS, _LOCATION_FIELDS, values) for values in frozen["locations"]),
        roles=frozen["roles"],
    )
