"""The order and ticket lifecycles: one table each of allowed transitions and who may make them.

SYSTEM transitions follow from another action (a ticket started or bumped, lines added, the last payment)
and are never requested by hand. Every service checks its transitions here; README repeats the table.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import ANY_ROLE, FRONT_OF_HOUSE, MANAGERS
from cafepos.exceptions import ApplicationError

from .models import OrderStatus, TicketStatus

SYSTEM = "SYSTEM"

ORDER_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    # A ticket is started, or lines for a station are added.
    (OrderStatus.PENDING, OrderStatus.PREPARING): frozenset({SYSTEM}),
    # Created with no line for a station.
    (OrderStatus.PENDING, OrderStatus.READY): frozenset({SYSTEM}),
    # Every ticket is DONE.
    (OrderStatus.PREPARING, OrderStatus.READY): frozenset({SYSTEM}),
    # Lines for a station are added, or a ticket is recalled.
    (OrderStatus.READY, OrderStatus.PREPARING): frozenset({SYSTEM}),
    (OrderStatus.READY, OrderStatus.SERVED): FRONT_OF_HOUSE,
    # Served and fully paid.
    (OrderStatus.SERVED, OrderStatus.COMPLETED): frozenset({SYSTEM}),
    # Never once a payment is taken (refund it first): checked by the service.
    (OrderStatus.PENDING, OrderStatus.CANCELLED): FRONT_OF_HOUSE,
    (OrderStatus.PREPARING, OrderStatus.CANCELLED): MANAGERS,
}

TICKET_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (TicketStatus.NEW, TicketStatus.IN_PROGRESS): ANY_ROLE,  # start
    (TicketStatus.IN_PROGRESS, TicketStatus.DONE): ANY_ROLE,  # bump
    (TicketStatus.DONE, TicketStatus.IN_PROGRESS): ANY_ROLE,  # recall
}


# How a refusal names what it refuses to move, and the statuses it names.
KIND_NAMES = {"order": gettext_lazy("An order"), "ticket": gettext_lazy("A ticket")}
STATUS_LABELS = {**dict(OrderStatus.choices), **dict(TicketStatus.choices)}


def _check(table: dict, kind: str, from_status: str, to_status: str, actor: str | None) -> None:
    allowed = table.get((from_status, to_status))
    if allowed is None or (allowed == {SYSTEM} and actor != SYSTEM):
        names = {
            "kind": KIND_NAMES[kind],
            "from_status": STATUS_LABELS[from_status],
            "to_status": STATUS_LABELS[to_status],
        }
        if allowed is None:
            message = _("%(kind)s cannot be moved from %(from_status)s to %(to_status)s.") % names
            field_message = _("%(from_status)s → %(to_status)s is not allowed.") % names
        else:
            message = _("%(kind)s moves from %(from_status)s to %(to_status)s on its own, never by hand.") % names
            field_message = _("%(from_status)s → %(to_status)s happens on its own.") % names
        raise ApplicationError(f"{kind}.illegal_transition", message, {"status": [field_message]}, status=409)
    if actor not in allowed:
        who = " or ".join(sorted(allowed - {SYSTEM}))
        raise ApplicationError(
            f"{kind}.transition_forbidden",
            _("%(from_status)s → %(to_status)s needs %(who)s.")
            % {"from_status": STATUS_LABELS[from_status], "to_status": STATUS_LABELS[to_status], "who": who},
            {"status": [_("Only %(who)s may do this.") % {"who": who}]},
            status=403,
        )


def check_order_transition(from_status: str, to_status: str, actor: str | None) -> None:
    """Refuse a transition not in the table, or a SYSTEM one asked for by a person, with
    `order.illegal_transition` (409); one the `actor`'s role (a Role or None) may not make with
    `order.transition_forbidden` (403)."""
    _check(ORDER_TRANSITIONS, "order", from_status, to_status, actor)


def check_ticket_transition(from_status: str, to_status: str, actor: str | None) -> None:
    _check(TICKET_TRANSITIONS, "ticket", from_status, to_status, actor)
