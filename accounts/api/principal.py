"""Who is calling the API: every authentication class puts a `Principal` in `request.auth`."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import ApiKey, Location, Terminal, User
from accounts.selectors import locations_for


@dataclass(frozen=True)
class Principal:
    """A staff member (JWT or session), a terminal acting for a staff member, or a third party's API key.

    `location` is set when the credential itself is bound to one location: a terminal, an API key, or a
    token obtained with a PIN on a terminal. `user` is None only for API keys.
    """

    kind: str  # "user" | "terminal" | "api_key"
    user: User | None = None
    terminal: Terminal | None = None
    api_key: ApiKey | None = None
    location: Location | None = None
    # A terminal acting for a staff member who is not signed in on it right now (e.g. syncing an offline
    # order): limited to the endpoints that declare `Allow(delegable=True)`.
    delegated: bool = False

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
