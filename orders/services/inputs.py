"""What callers pass in: the typed inputs the API's serializers build (`CartItem`, `CustomerDetails`,
`ManagerApproval`), and the checks of amounts, text and discounts that Python callers pass as they are, refused
with a clear error and field."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.models import Location
from accounts.roles import MANAGERS
from accounts.selectors import role_at
from cafepos.exceptions import ApplicationError
from cafepos.money import MONEY_MAX, currency_places, money_in_bounds, quantize_money
from cafepos.text import visible_text

from .discounts import discount_approver, discount_share


@dataclass(frozen=True)
class CartItem:
    """One line of a cart as the caller asks for it (the API's `CartLineSerializer` checks its shape and limits,
    `orders.limits`); `cart_resolve` prices it from the menu."""

    menu_item_id: int
    quantity: int = 1
    modifier_ids: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class CustomerDetails:
    """Who an order is for, each detail visible text within `orders.limits.CUSTOMER_FIELDS`, or None."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ManagerApproval:
    """A MANAGER or OWNER approving at a terminal: who they are and the PIN they typed (checked by the service)."""

    manager_id: int
    pin: str = field(repr=False)


def invalid(code: str, field: str, message: str) -> ApplicationError:
    """A 400 refusal of one field's value."""
    return ApplicationError(code, message, {field: [message]})


def decimal_in(value, *, field: str, places: int) -> Decimal:
    """A Decimal (or int or numeric string, never a float) with at most `places` decimals."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise invalid("validation.invalid_amount", field, _("A decimal number is required."))
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise invalid("validation.invalid_amount", field, _("A decimal number is required.")) from None
    if not money_in_bounds(number):
        raise invalid("validation.invalid_amount", field, f"At most {MONEY_MAX:,} in either direction.")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise invalid("validation.invalid_amount", field, _("At most %(places)s decimal places.") % {"places": places})
    return number


def money_in(value, *, currency: str, field: str, positive: bool = False, signed: bool = False) -> Decimal:
    """Parse an amount in the currency's major unit (e.g. Decimal("3.50") EUR), refusing extra decimals."""
    amount = decimal_in(value, field=field, places=currency_places(currency))
    if positive and amount <= 0:
        raise invalid("validation.invalid_amount", field, _("The amount must be more than zero."))
    if not signed and amount < 0:
        raise invalid("validation.invalid_amount", field, _("The amount cannot be negative."))
    return quantize_money(amount, currency)


def text_in(value, *, field: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > max_length:
        raise invalid(
            "validation.invalid_text",
            field,
            _("Text of at most %(max_length)s characters.") % {"max_length": max_length},
        )
    value = visible_text(value, multiline=True).strip()  # the model field flattens single-line text on save
    if required and not value:
        raise invalid("validation.required", field, _("This is required."))
    return value


def tip_check(*, location: Location, amount: Decimal, tip: Decimal, approved_by) -> None:
    """A tip above the location's `max_tip_percent` of `amount` (what it comes on top of) needs the approval of a
    MANAGER or OWNER (`approved_by`, as the API's `approver` decides); 400 `payment.tip_too_large` otherwise."""
    if tip * 100 <= amount * location.max_tip_percent:
        return
    if approved_by is not None and role_at(approved_by, location) in MANAGERS:
        return
    message = _("A tip above %(max_tip_percent)s%% of the amount needs a manager's approval.") % {
        "max_tip_percent": location.max_tip_percent
    }
    raise invalid("payment.tip_too_large", "tip", message)


@dataclass(frozen=True)
class Discount:
    amount: Decimal | None = None
    percent: Decimal | None = None
    reason: str = ""
    approved_by: object | None = None
    approved_share: Decimal | None = None  # set when a manager's approval was needed: the share they approved


def discount_resolve(
    *, location: Location, subtotal: Decimal, discount: dict | None, staff=None, approval_needed: bool = True
) -> Discount:
    """Check an order discount `{"amount"|"percent", "reason", "approved_by"?}` (None: no discount).

    Above the location's `discount_approval_percent` of the subtotal a MANAGER or OWNER approves: the
    `approved_by` user, or the staff member themself when they hold that role.
    """
    if discount is None:
        return Discount()
    if not isinstance(discount, dict) or set(discount) - {"amount", "percent", "reason", "approved_by"}:
        raise invalid("discount.invalid", "discount", _("A discount has an amount or a percent, and a reason."))
    if discount.get("amount") is None and discount.get("percent") is None:
        return Discount()
    if discount.get("amount") is not None and discount.get("percent") is not None:
        raise invalid("discount.invalid", "discount", _("Give an amount or a percent, not both."))
    amount = percent = None
    if discount.get("percent") is not None:
        percent = decimal_in(discount["percent"], field="discount.percent", places=2)
        if not 0 < percent <= 100:
            raise invalid("discount.invalid", "discount.percent", _("A percentage above 0 and at most 100."))
    else:
        amount = money_in(discount["amount"], currency=location.currency, field="discount.amount", positive=True)
        if amount > subtotal:
            raise invalid("discount.exceeds_subtotal", "discount.amount", _("The discount is more than the subtotal."))
    reason = text_in(discount.get("reason"), field="discount.reason", max_length=200, required=True)
    approved_by, approved_share = discount.get("approved_by"), None
    if approval_needed:
        share = discount_share(subtotal, amount=amount, percent=percent)
        approver = discount_approver(
            location=location, share=share, approved_by=approved_by, staff=staff, field="discount.approved_by"
        )
        if approver is not None:
            approved_by, approved_share = approver, share
    return Discount(
        amount=amount, percent=percent, reason=reason, approved_by=approved_by, approved_share=approved_share
    )
