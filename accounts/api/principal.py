"""Who is calling the API: every authentication class puts a `Principal` in `request.auth`."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import ApiKey, Location, Terminal, User
from accounts.selectors import StaffAccess, locations_for, role_at


@dataclass(frozen=True)
class Principal:
    """A staff member (JWT or session), a terminal acting for a staff member, or a third party's API key.

    `location` is set when the credential itself is bound to one location: a terminal, an API key, or a
    token obtained with a PIN on a terminal. `user` is None only for API keys. `access` is the staff member's
    cached locations and roles (JWTs); without it they are read from the database.
    """

    kind: str  # "user" | "terminal" | "api_key"
    user: User | None = None
    terminal: Terminal | None = None
    api_key: ApiKey | None = None
    location: Location | None = None
    # A terminal acting for a staff member who is not signed in on it right now (e.g. syncing an offline
    # order): limited to the endpoints that declare `Allow(delegable=True)`.
    delegated: bool = False
    access: StaffAccess | None = None

    @property
    def principal_key(self) -> str:
        """Stable identity for rate limits and idempotency scopes: `user:5`, `terminal:3`, `api_key:9`."""
        if self.kind == "api_key":
            return f"api_key:{self.api_key.pk}"
        if self.kind == "terminal":
            return f"terminal:{self.terminal.pk}"
        return f"user:{self.user.pk}"

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.api_key.scopes) if self.api_key else frozenset()

    def locations(self) -> QuerySet[Location]:
        if self.location is not None:
            return Location.objects.filter(pk=self.location.pk)
        return locations_for(self.user)

    def location_choices(self, location_id: int | None) -> list[Location]:
        """The caller's location `location_id` (an empty list if not theirs), or without one up to two of theirs."""
        if self.location is None and self.access is None:
            locations = locations_for(self.user)
            return list(locations.filter(pk=location_id)[:1] if location_id is not None else locations[:2])
        mine = [self.location] if self.location is not None else self.access.locations
        if location_id is not None:
            return [location for location in mine if location.pk == location_id]
        return list(mine[:2])

    def role_at(self, location: Location) -> str | None:
        """The staff member's live role at `location` (None for API keys)."""
        if self.access is not None:
            return self.access.role_at(location)
        return role_at(self.user, location)
