"""What a socket client may do: start, bump and recall the tickets of its location (and station)."""

from django.utils.translation import gettext as _

from accounts.models import Location, User
from accounts.roles import KITCHEN_CREW
from accounts.selectors import role_at
from cafepos.exceptions import ApplicationError
from orders.models import Ticket
from orders.services import ticket_bump, ticket_recall, ticket_start

TICKET_ACTIONS = {"ticket.start": ticket_start, "ticket.bump": ticket_bump, "ticket.recall": ticket_recall}


def ticket_act(*, user: User, location: Location, station: str | None, ticket_id: int, action: str) -> Ticket:
    """Run the orders service for `action` on a ticket of `location` (and of `station` on a kitchen socket).

    The role is read again for every message, so a membership ended while the socket is open stops it.
    """
    role = role_at(user, location)
    if role not in KITCHEN_CREW:
        names = " or ".join(sorted(KITCHEN_CREW))
        raise ApplicationError(
            "permission.denied", _("Working tickets here needs %(names)s.") % {"names": names}, status=403
        )
    tickets = Ticket.objects.filter(order__location=location)
    if station is not None:
        tickets = tickets.filter(station=station)
    ticket = tickets.filter(pk=ticket_id).first()
    if ticket is None:
        raise ApplicationError(
            "ticket.not_found", _("No ticket %(ticket_id)s here.") % {"ticket_id": ticket_id}, status=404
        )
    return TICKET_ACTIONS[action](ticket=ticket, staff=user)
