"""The discount approval rule, held at every moment: above the location's `discount_approval_percent` of the
subtotal a MANAGER or OWNER approves, when the discount is set and after any change of the lines.

`order_discount_guard` runs after every reprice that changes the lines; an approval is recorded
(`DiscountApproval`) and the order keeps the share approved, which later changes may stay within.
"""

from decimal import ROUND_CEILING, Decimal

from django.utils.translation import gettext as _

from accounts.models import Location
from accounts.roles import MANAGERS
from accounts.selectors import role_at
from cafepos.exceptions import ApplicationError

from ..models import DiscountApproval, Order

HUNDRED = Decimal("100")
SHARE_PLACES = Decimal("0.0001")  # as `orders.models.share_field` stores it


def discount_share(subtotal: Decimal, *, amount: Decimal | None, percent: Decimal | None) -> Decimal:
    """The discount's share of the subtotal in percent (an amount on a zero subtotal counts as all of it)."""
    if percent is not None:
        return percent
    if not amount:
        return Decimal("0")
    return amount * HUNDRED / subtotal if subtotal > 0 else HUNDRED


def discount_approver(*, location: Location, share: Decimal, approved_by, staff, field: str):
    """Who approves a discount of `share`: None at or below the threshold, else `approved_by` or the staff member
    themself, who must be a MANAGER or OWNER there; a 403 `discount.approval_required` naming `field` otherwise."""
    if share <= location.discount_approval_percent:
        return None
    approver = approved_by or staff
    if approver is None or role_at(approver, location) not in MANAGERS:
        raise ApplicationError(
            "discount.approval_required",
            _("A discount above %(discount_approval_percent)s%% of the subtotal needs a manager's approval.")
            % {"discount_approval_percent": location.discount_approval_percent},
            {field: [_("A MANAGER or OWNER of this location must approve.")]},
            status=403,
        )
    return approver


def discount_approval_record(order: Order, *, approved_by, share: Decimal, cause: str, now) -> DiscountApproval:
    """Record a manager's approval of the order's current discount and keep its share on the order (saved with
    the order's state by the caller)."""
    share = share.quantize(SHARE_PLACES, rounding=ROUND_CEILING)
    order.discount_approved_by, order.discount_approved_share = approved_by, share
    return DiscountApproval.objects.create(
        order=order,
        approved_by=approved_by,
        approved_at=now,
        share=share,
        amount=order.discount_amount,
        percent=order.discount_percent,
        subtotal=order.subtotal,
        cause=cause,
    )


def order_discount_guard(order: Order, *, staff, approved_by=None, now, cause: str = DiscountApproval.Cause.VOID):
    """After `order_reprice` of changed lines: the discount stays within the subtotal, and within the threshold or
    the share a manager approved, or `approved_by` (or a manager `staff`) approves the new share now."""
    amount, percent = order.discount_amount, order.discount_percent
    if amount is None and percent is None:
        return
    if amount is not None and amount > order.subtotal:
        message = _("The discount would be more than the subtotal: lower or remove it first.")
        raise ApplicationError("discount.exceeds_subtotal", message, {"discount.amount": [message]}, status=409)
    share = discount_share(order.subtotal, amount=amount, percent=percent)
    if order.discount_approved_share is not None and share <= order.discount_approved_share:
        return
    approver = discount_approver(
        location=order.location, share=share, approved_by=approved_by, staff=staff, field="approval"
    )
    if approver is not None:
        discount_approval_record(order, approved_by=approver, share=share, cause=cause, now=now)
