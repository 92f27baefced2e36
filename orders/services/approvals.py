"""Who approves what a request asks above a location's threshold: a manager's PIN typed on a terminal, or the
caller when they are a manager themself. The API hands over what the request carries; the rule is here."""

from django.utils.translation import gettext as _

from accounts.models import Location, Terminal
from accounts.selectors import role_at
from accounts.services import pin_manager_confirm
from cafepos.exceptions import ApplicationError

from ..lifecycle import MANAGERS
from .inputs import ManagerApproval


def manager_pin_approval(*, terminal: Terminal | None, approval: ManagerApproval | None, field: str, action: str):
    """The MANAGER or OWNER whose `approval` (id and PIN) a request carries, their PIN checked on
    `terminal` (PIN lockouts apply); None without one. `field` names the approval in a refusal's field messages."""
    if not approval:
        return None
    if terminal is None:
        message = _("A manager approves with their PIN on a terminal.")
        raise ApplicationError("discount.approval_needs_terminal", message, {field: [message]})
    return pin_manager_confirm(terminal=terminal, manager_id=approval.manager_id, pin=approval.pin, action=action)


def approver_choose(
    *,
    location: Location,
    terminal: Terminal | None,
    caller,
    caller_delegated: bool,
    approval: ManagerApproval | None,
    field: str,
    action: str,
):
    """Who approves: the MANAGER or OWNER whose PIN the request carries (`manager_pin_approval`), else the
    `caller` when they are one themself; None otherwise.

    The one place that decides. A delegated caller (a terminal acting for someone signed in there earlier) is
    not there to approve: their own role never counts.
    """
    manager = manager_pin_approval(terminal=terminal, approval=approval, field=field, action=action)
    if manager is not None:
        return manager
    if caller is not None and not caller_delegated and role_at(caller, location) in MANAGERS:
        return caller
    return None


def tip_approver(
    *,
    location: Location,
    terminal: Terminal | None,
    caller,
    caller_delegated: bool,
    tip,
    approval: ManagerApproval | None,
):
    """The approver of a tip (None without a tip: nothing to approve, and no role read on the hot path)."""
    if not tip:
        return None
    return approver_choose(
        location=location,
        terminal=terminal,
        caller=caller,
        caller_delegated=caller_delegated,
        approval=approval,
        field="approval",
        action=_("approve tips"),
    )


def refund_approver(
    *, location: Location, terminal: Terminal | None, caller, caller_delegated: bool, approval: ManagerApproval | None
):
    """Who a refund is made by: a MANAGER or OWNER, the caller themself or one approving at the till with their PIN;
    anyone else is refused with `refund.approval_required` (403) before anything is checked or charged."""
    approver = approver_choose(
        location=location,
        terminal=terminal,
        caller=caller,
        caller_delegated=caller_delegated,
        approval=approval,
        field="approval",
        action=_("approve refunds"),
    )
    if approver is None:
        message = _("A manager approves a refund with their PIN.")
        raise ApplicationError("refund.approval_required", message, {"approval": [message]}, status=403)
    return approver


def sent_void_approver(*, location: Location, staff, approved_by):
    """Who voids an item the kitchen already has where the location asks for a manager (`void_sent_needs_manager`):
    the manager whose PIN was typed, or the staff member when they are one; else `void.approval_required` (403)."""
    approver = approved_by or staff
    if role_at(approver, location) not in MANAGERS:
        message = _("A manager approves voiding an item the kitchen already has, with their PIN.")
        raise ApplicationError("void.approval_required", message, {"approval": [message]}, status=403)
    return approver


def discount_approved(*, terminal: Terminal | None, discount: dict | None) -> dict | None:
    """The discount for the order services, its manager's `approval` (id and PIN, checked here) as `approved_by`."""
    if not discount:
        return discount
    discount = dict(discount)
    approval = discount.pop("approval", None)
    approver = manager_pin_approval(
        terminal=terminal, approval=approval, field="discount.approval", action=_("approve discounts")
    )
    if approver is not None:
        discount["approved_by"] = approver
    return discount
