"""The role check every order service starts with."""

from django.utils.translation import gettext as _

from accounts.models import Location
from accounts.selectors import role_at
from cafepos.exceptions import ApplicationError


def require_role(staff, location: Location, roles, *, action: str) -> str:
    """The staff member's role at the location, or a 403 if it is not one of `roles`."""
    role = role_at(staff, location) if staff is not None else None
    if role not in roles:
        names = " or ".join(sorted(roles))
        raise ApplicationError(
            "permission.denied",
            _("%(action)s needs %(names)s at this location.") % {"action": action, "names": names},
            status=403,
        )
    return role
