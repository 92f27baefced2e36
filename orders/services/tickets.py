"""The kitchen's side: starting, bumping and recalling tickets, which moves their order along.

Starting a ticket moves a PENDING order to PREPARING; bumping the last open ticket makes the order READY;
recalling a DONE ticket brings a READY order back to PREPARING.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import ANY_ROLE
from cafepos.exceptions import ApplicationError
from cafepos.outbox import events_emit

from ..lifecycle import SYSTEM, check_ticket_transition
from ..models import Order, OrderStatus, Ticket, TicketStatus
from .events import order_events, ticket_events, tickets_load
from .locking import order_lock
from .roles import require_role
from .saving import order_save
from .transitions import order_move, status_record

# What each kitchen action does to a ticket (the lifecycle table then says who may).
ACTIONS = {
    "start": (TicketStatus.NEW, TicketStatus.IN_PROGRESS),
    "bump": (TicketStatus.IN_PROGRESS, TicketStatus.DONE),
    "recall": (TicketStatus.DONE, TicketStatus.IN_PROGRESS),
}
# What the ticket would have been, in a refusal's sentence ("… can be bumped").
ACTION_PARTICIPLES = {
    "start": gettext_lazy("started"),
    "bump": gettext_lazy("bumped"),
    "recall": gettext_lazy("recalled"),
}


def _ticket_move(ticket: Ticket, order: Order, to_status: str, *, staff, role: str, now) -> None:
    check_ticket_transition(ticket.status, to_status, role)
    status_record(
        ticket, ticket.status, to_status, location_id=order.location_id, staff=staff, automatic=False, now=now
    ).save()
    ticket.status = to_status
    if to_status == TicketStatus.IN_PROGRESS:
        ticket.started_at = ticket.started_at or now
        ticket.done_at = None
    elif to_status == TicketStatus.DONE:
        ticket.done_at = now
    ticket.updated_at = now
    ticket.save(update_fields=["status", "started_at", "done_at", "updated_at"])


def _ticket_change(ticket: Ticket, staff, action: str, *, order_to: str, when=None) -> Ticket:
    """Move the ticket as `action` does, then its order to `order_to` when `when(order)` holds; write both events."""
    from_status, to_status = ACTIONS[action]
    order = Order.objects.select_related("location").get(pk=ticket.order_id)
    role = require_role(staff, order.location, ANY_ROLE, action=_("Working a ticket"))
    now = timezone.now()
    with transaction.atomic():
        order = order_lock(order)
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if action == "bump" and ticket.status == TicketStatus.DONE:
            return tickets_load([ticket.pk])[0]
        if ticket.status != from_status:
            raise ApplicationError(
                "ticket.illegal_transition",
                _("Only a ticket that is %(from_status)s can be %(action)s; this one is %(status)s.")
                % {
                    "from_status": TicketStatus(from_status).label,
                    "action": ACTION_PARTICIPLES[action],
                    "status": TicketStatus(ticket.status).label,
                },
                {
                    "status": [
                        _("A ticket that is %(status)s cannot be %(action)s.")
                        % {"status": TicketStatus(ticket.status).label, "action": ACTION_PARTICIPLES[action]}
                    ]
                },
                status=409,
            )
        _ticket_move(ticket, order, to_status, staff=staff, role=role, now=now)
        events = []
        if order.status != order_to and (when is None or when(order)):
            events = order_move(order, order_to, staff=staff, actor=SYSTEM, now=now)
            order_save(order, now=now)
        [fresh] = tickets_load([ticket.pk])
        batch = ticket_events([fresh], "ticket.updated") + (order_events(order, events) if events else [])
        events_emit(location_id=order.location_id, events=batch)
    return fresh


def ticket_start(*, ticket: Ticket, staff) -> Ticket:
    """NEW → IN_PROGRESS; the order goes PENDING → PREPARING with its first started ticket."""
    return _ticket_change(ticket, staff, "start", order_to=OrderStatus.PREPARING)


def ticket_bump(*, ticket: Ticket, staff) -> Ticket:
    """IN_PROGRESS → DONE; when every ticket of the order is DONE the order is READY.

    Bumping a ticket that is already DONE (a double tap on the display, or two screens) is a no-op: the
    ticket comes back unchanged, and no transition or event is written.
    """

    def all_done(order: Order) -> bool:
        return not order.tickets.exclude(status=TicketStatus.DONE).exists()

    return _ticket_change(ticket, staff, "bump", order_to=OrderStatus.READY, when=all_done)


def ticket_recall(*, ticket: Ticket, staff) -> Ticket:
    """DONE → IN_PROGRESS; a READY order goes back to PREPARING (a served or closed order is refused)."""
    return _ticket_change(ticket, staff, "recall", order_to=OrderStatus.PREPARING)
