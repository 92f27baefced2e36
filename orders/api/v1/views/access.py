"""Who may call the orders API's actions (`access = {action: rule}` on each view)."""

from accounts.api.access import Allow
from accounts.roles import ANY_ROLE, FRONT_OF_HOUSE

READ = Allow(ANY_ROLE, scope="orders:read")
WRITE = Allow(FRONT_OF_HOUSE, scope="orders:write", delegable=True)
STAFF_WRITE = Allow(FRONT_OF_HOUSE)  # no API key: the service needs a staff member
SYNCED_WRITE = Allow(FRONT_OF_HOUSE, delegable=True)  # also sent later by a terminal's offline queue
SHIFT_READ = Allow(FRONT_OF_HOUSE, scope="reports:read")
