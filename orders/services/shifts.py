"""A terminal's cash drawer: open with a float, move cash in or out, close with the counted cash.

Closing locks the location, then the shift, exactly as a payment does before it attaches itself to the
shift; so the Z report holds everything committed before the close and nothing after, whatever the clocks
say. Its money is in minor units, like the API.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Terminal
from accounts.roles import FRONT_OF_HOUSE, MANAGERS
from cafepos.exceptions import ApplicationError
from cafepos.money import quantize_money, to_minor_units
from cafepos.outbox import location_lock

from ..figures import DISCOUNTED, VOID_SUMS, order_sums, shift_drawer, voided_lines
from ..models import CashMovement, Shift
from ..selectors import open_shift
from .inputs import invalid, money_in, text_in
from .pricing import order_totals
from .roles import require_role

ZERO = Decimal("0")


def shift_open(*, terminal: Terminal, staff, opening_float) -> Shift:
    """Open the terminal's drawer with its float; one open shift per terminal."""
    location = terminal.location
    require_role(staff, location, FRONT_OF_HOUSE, action=_("Opening a shift"))
    if not terminal.is_active or terminal.kind != Terminal.Kind.POS:
        raise invalid("shift.invalid_terminal", "terminal", _("Shifts belong to an active point-of-sale terminal."))
    opening_float = money_in(opening_float, currency=location.currency, field="opening_float")
    with transaction.atomic():
        location_lock(location.pk)
        if open_shift(terminal.pk) is not None:
            raise ApplicationError("shift.already_open", _("This terminal already has an open shift."), status=409)
        return Shift.objects.create(location=location, terminal=terminal, opened_by=staff, opening_float=opening_float)


def _shift_lock(shift: Shift) -> Shift:
    location_lock(shift.location_id)
    locked = Shift.objects.select_for_update().select_related("location").get(pk=shift.pk)
    if not locked.is_open:
        raise ApplicationError("shift.closed", _("This shift is already closed."), status=409)
    return locked


def _drawer_hands(shift: Shift, *, staff, terminal: Terminal | None, action: str) -> None:
    """Who may move cash in a drawer or close it: a MANAGER or OWNER, the staff member who opened it, or anyone
    front of house working on its own terminal (`terminal`: the caller's, None off a till); 403 otherwise."""
    role = require_role(staff, shift.location, FRONT_OF_HOUSE, action=action)
    if (
        role in MANAGERS
        or staff.pk == shift.opened_by_id
        or (terminal is not None and terminal.pk == shift.terminal_id)
    ):
        return
    raise ApplicationError(
        "shift.not_yours",
        _("%(action)s belongs to the shift's own terminal, the one who opened it, or a manager.") % {"action": action},
        status=403,
    )


def shift_cash_move(*, shift: Shift, staff, amount, reason: str, terminal: Terminal | None = None) -> CashMovement:
    """Cash put into (positive `amount`) or taken out of (negative) the drawer, with a reason; `terminal` is
    the caller's (see `_drawer_hands`)."""
    location = shift.location
    _drawer_hands(shift, staff=staff, terminal=terminal, action=_("Moving cash"))
    amount = money_in(amount, currency=location.currency, field="amount", signed=True)
    if not amount:
        raise invalid("validation.invalid_amount", "amount", _("The amount cannot be zero."))
    reason = text_in(reason, field="reason", max_length=200, required=True)
    with transaction.atomic():
        shift = _shift_lock(shift)
        return CashMovement.objects.create(shift=shift, amount=amount, reason=reason, staff=staff)


def _z_report(shift: Shift, *, counted_cash: Decimal, closed_at) -> tuple[dict, Decimal]:
    """The Z report of a locked shift, and the cash the drawer should hold."""
    location = shift.location
    currency = location.currency

    def minor(amount: Decimal) -> int:
        return to_minor_units(amount, currency)

    def money(row: dict) -> dict:
        return {key: value if isinstance(value, int) else minor(value) for key, value in row.items()}

    drawer = shift_drawer(shift)
    tenders, refunds = drawer.tenders, drawer.refunds
    sales, discounts, voids = _sales(shift)
    report = {
        "currency": currency,
        "shift_id": shift.pk,
        "terminal_id": shift.terminal_id,
        "opened_at": shift.opened_at.astimezone(location.zone).isoformat(),
        "closed_at": closed_at.astimezone(location.zone).isoformat(),
        "opening_float": minor(shift.opening_float),
        "tenders": {tender: money(row) for tender, row in tenders.items()},
        "tips_total": minor(sum((row["tips"] for row in tenders.values()), ZERO)),
        "refunds": {tender: money(row) for tender, row in refunds.items()},
        "refunds_total": minor(sum((row["amount"] for row in refunds.values()), ZERO)),
        "cash_in": minor(drawer.cash_in),
        "cash_out": minor(drawer.cash_out),
        "expected_cash": minor(drawer.expected),
        "counted_cash": minor(counted_cash),
        "variance": minor(counted_cash - drawer.expected),
        "sales": money(sales),
        "tax_by_rate": {str(rate): minor(tax) for rate, tax in sorted(_tax_by_rate(shift).items())},
        "discounts": money(discounts),
        "voids": money(voids),
    }
    return report, drawer.expected


def _sales(shift: Shift) -> tuple[dict, dict, dict]:
    """The sales, discounts and voids of the orders fully paid in the shift."""
    currency = shift.location.currency
    orders = shift.settled_orders.all()
    sums = orders.aggregate(orders=Count("pk"), discounted=Count("pk", filter=DISCOUNTED), **order_sums())
    sums = {name: value if isinstance(value, int) else quantize_money(value, currency) for name, value in sums.items()}
    voided = voided_lines(orders).aggregate(**VOID_SUMS)
    sales = {
        "orders": sums["orders"],
        "subtotal": sums["gross"],
        "discount_total": sums["discounts"],
        "tax_total": sums["tax"],
        "total": sums["total"],
    }
    discounts = {"count": sums["discounted"], "amount": sums["discounts"]}
    voids = {"count": voided["void_count"], "amount": quantize_money(voided["voids"], currency)}
    return sales, discounts, voids


def _tax_by_rate(shift: Shift) -> dict[Decimal, Decimal]:
    """The tax of the orders fully paid in the shift, by rate, as pricing computes it line by line."""
    location = shift.location
    tax_by_rate: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for order in shift.settled_orders.prefetch_related("lines"):
        order.location = location
        for rate, tax in order_totals(order, order.lines.all()).taxes_by_rate.items():
            tax_by_rate[rate] += tax
    return tax_by_rate


def shift_close(*, shift: Shift, staff, counted_cash, terminal: Terminal | None = None) -> Shift:
    """Close the drawer with the cash counted in it: expected cash, variance and the Z report are frozen.

    Sales figures (orders, tax by rate, discounts, voids) cover the orders fully paid in this shift. `terminal`
    is the caller's (see `_drawer_hands`).
    """
    location = shift.location
    _drawer_hands(shift, staff=staff, terminal=terminal, action=_("Closing a shift"))
    counted_cash = money_in(counted_cash, currency=location.currency, field="counted_cash")
    now = timezone.now()
    with transaction.atomic():
        shift = _shift_lock(shift)
        report, expected = _z_report(shift, counted_cash=counted_cash, closed_at=now)
        shift.closed_at, shift.closed_by = now, staff
        shift.counted_cash, shift.expected_cash, shift.variance = counted_cash, expected, counted_cash - expected
        shift.z_report = report
        shift.save(update_fields=["closed_at", "closed_by", "counted_cash", "expected_cash", "variance", "z_report"])
    return shift
