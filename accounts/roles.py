"""The sets of roles every permission check names, defined once.

API access rules (`accounts.api.access.Allow`), the order and ticket lifecycles, the services' `require_role`
checks, the sockets, the terminal pages and the admin scoping all import these, so a new role (or a change of
who counts as a manager) is made here and nowhere else.
"""

from .models import Role

ANY_ROLE = frozenset(Role)
"""Anyone with a role at the location: reads, and starting, bumping and recalling tickets."""

FRONT_OF_HOUSE = frozenset({Role.OWNER, Role.MANAGER, Role.CASHIER})
"""Who takes orders and payments, opens shifts and uses the POS pages."""

KITCHEN_CREW = frozenset({Role.OWNER, Role.MANAGER, Role.KITCHEN})
"""Who listens to the kitchen stream and works tickets over a socket."""

MANAGERS = frozenset({Role.OWNER, Role.MANAGER})
"""Who approves (discounts, voids, refunds), sees reports and opens the back office."""

OWNERS = frozenset({Role.OWNER})
"""Who manages staff and the rows admin marks owner-only."""
