"""The outbox events of an order's change: the order's and its tickets' representations, written in one batch."""

from django.db.models import prefetch_related_objects

from cafepos.outbox import events_emit

from ..models import Order, Ticket
from ..representations import order_representation, ticket_representation
from ..selectors import lines_prefetch


def order_events(order: Order, events: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The order's events `(type, extra data)` as outbox events, each with the order's representation; loads its
    lines into `line_list` (two queries) unless the caller set them."""
    prefetch_related_objects([order], lines_prefetch())
    representation = order_representation(order)
    return [(event_type, {"order": representation, **extra}) for event_type, extra in events]


def ticket_events(tickets: list[Ticket], event_type: str) -> list[tuple[str, dict]]:
    """One outbox event per ticket; pass tickets loaded for `ticket_representation` (`tickets_load`)."""
    return [(event_type, {"ticket": ticket_representation(ticket)}) for ticket in tickets]


def order_events_emit(order: Order, events: list[tuple[str, dict]], *, then: list[tuple[str, dict]] = ()) -> Order:
    """Write the order's events (`order_events`), then the outbox events `then` (tickets'), in one batch; returns
    `order`."""
    events_emit(location_id=order.location_id, events=[*order_events(order, events), *then])
    return order


def tickets_load(ticket_ids) -> list[Ticket]:
    tickets = Ticket.objects.filter(pk__in=ticket_ids).select_related("order__location")
    return list(tickets.prefetch_related(lines_prefetch()).order_by("pk"))
