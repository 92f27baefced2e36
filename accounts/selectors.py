"""Reads about staff, locations and terminals, and the one scoping helper every app uses."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import BACK_OFFICE_ROLES, Location, Membership, Organization, Role, Terminal, TerminalSignIn, User

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
    """The user's role at a location: OWNER through any owner membership in its organization."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    roles = set(
        Membership.objects.filter(user=user, is_active=True)
        .filter(Q(location=location) | Q(role=Role.OWNER, location__organization_id=location.organization_id))
        .values_list("role", flat=True)
    )
    return min(roles, key=ROLE_RANK.__getitem__, default=None)


def is_back_office_user(user) -> bool:
    """Owners and managers (and superusers) may use the admin back office."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        user.is_superuser or Membership.objects.filter(user=user, is_active=True, role__in=BACK_OFFICE_ROLES).exists()
    )


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


def locations_where(user, roles=BACK_OFFICE_ROLES) -> QuerySet[Location]:
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
