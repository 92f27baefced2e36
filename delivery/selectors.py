"""Reads of the delivery app: who is told about a location."""

from accounts.models import Location, Membership, Role


def owner_emails(location: Location) -> list[str]:
    """Email addresses of the active owners of the location's organization."""
    return sorted(
        set(
            Membership.objects.filter(
                is_active=True,
                user__is_active=True,
                role=Role.OWNER,
                location__organization_id=location.organization_id,
            ).values_list("user__email", flat=True)
        )
    )
