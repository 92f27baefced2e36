"""Reads about staff, locations and terminals, and the one scoping helper every app uses."""

from django.db.models import Q, QuerySet

from .models import BACK_OFFICE_ROLES, Location, Membership, Role, Terminal, User


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
    if location_field in ("", "self"):
        return queryset.filter(pk__in=locations_for(user).values("pk"))
    return queryset.filter(**{f"{location_field}__in": locations_for(user)})


def role_at(user, location: Location) -> str | None:
    """The user's role at a location: OWNER through any owner membership in its organization."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    roles = set(
        Membership.objects.filter(user=user, is_active=True)
        .filter(Q(location=location) | Q(role=Role.OWNER, location__organization_id=location.organization_id))
        .values_list("role", flat=True)
    )
    for role in (Role.OWNER, Role.MANAGER, Role.CASHIER, Role.KITCHEN):
        if role in roles:
            return role
    return None


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


def location_staff(location: Location) -> QuerySet[User]:
    """Staff shown as tiles on a terminal: active members of the location with a PIN set."""
    return (
        User.objects.filter(is_active=True, memberships__location=location, memberships__is_active=True)
        .exclude(pin_hash="")
        .distinct()
        .order_by("full_name", "email")
    )


def terminals_for(user) -> QuerySet[Terminal]:
    return scope_to_user(Terminal.objects.select_related("location"), user)
