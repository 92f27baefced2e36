"""Taking money for an order, refunding it, and splitting the bill into checks.

A payment's `amount` goes to the order's balance; its `tip` comes on top (into `tip_total`, so the
order total and what was paid both grow by it). Card and other tenders may not exceed the balance; cash
above it is given back as change. Cash needs an open shift (the drawer it goes into).
"""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Location
from accounts.roles import FRONT_OF_HOUSE, MANAGERS
from cafepos.exceptions import ApplicationError
from cafepos.money import quantize_money
from cafepos.observability import metrics

from ..limits import MAX_REASON
from ..models import Order, Payment, Refund, Shift, Tender
from ..payments_gateway import payment_gateway
from ..representations import payment_representation, refund_representation
from ..selectors import open_shift
from .events import order_events_emit
from .inputs import invalid, money_in, text_in, tip_check
from .locking import order_lock
from .pricing import allocate, order_totals
from .roles import require_role
from .saving import order_reprice, order_save
from .transitions import order_settle

MAX_CHECKS = 20

logger = logging.getLogger(__name__)


def _shift_locked(shift: Shift | None, *, terminal_id: int | None, location: Location) -> Shift | None:
    """The open shift money goes into, locked: the one given, else the open one of `terminal_id`.

    Locking it (after the location and the order) is what makes a close see every committed payment and
    refuse later ones.
    """
    if shift is None and terminal_id is not None:
        shift = open_shift(terminal_id)
    if shift is None:
        return None
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.location_id != location.pk:
        raise invalid("shift.invalid", "shift", _("This shift belongs to another location."))
    if not shift.is_open:
        raise ApplicationError("shift.closed", _("This shift is closed; open a new one."), status=409)
    return shift


def _card_details(tender: str, card_last4, terminal_reference, reference) -> tuple[str, str, str]:
    card_last4 = text_in(card_last4, field="card_last4", max_length=4)
    terminal_reference = text_in(terminal_reference, field="terminal_reference", max_length=100)
    reference = text_in(reference, field="reference", max_length=100)
    if card_last4 and not re.fullmatch(r"\d{4}", card_last4):
        raise invalid("payment.invalid_card", "card_last4", _("Only the last four digits of the card."))
    if tender != Tender.CARD and (card_last4 or terminal_reference):
        raise invalid("payment.invalid_card", "card_last4", _("Card details belong to a card payment."))
    return card_last4, terminal_reference, reference


@dataclass(frozen=True)
class PaymentRequest:
    """A payment's inputs, parsed and checked once (`payment_request`)."""

    order: Order
    staff: object
    tender: str
    amount: Decimal
    tip: Decimal
    tendered: Decimal | None
    card_last4: str
    terminal_reference: str
    shift: Shift | None
    reference: str
    check_number: int | None
    approved_by: object | None


@dataclass(frozen=True)
class _Plan:
    """What a payment does to the locked order: checked under the lock, again after a card was charged."""

    order: Order
    shift: Shift | None
    applied: Decimal
    tendered: Decimal | None
    change_due: Decimal


@dataclass(frozen=True)
class CardCharge:
    """A card charge the gateway approved while no lock was held, for the order at `order_version`."""

    order_version: int
    applied: Decimal
    tip: Decimal
    card_last4: str
    terminal_reference: str


def payment_request(
    *,
    order: Order,
    staff,
    tender: str,
    amount,
    tip=Decimal("0"),
    tendered=None,
    card_last4: str | None = None,
    terminal_reference: str | None = None,
    shift: Shift | None = None,
    reference: str = "",
    check_number: int | None = None,
    approved_by=None,
) -> PaymentRequest:
    """Check who pays and what they typed (no lock, no query but the role): see `payment_add`."""
    currency = order.location.currency
    require_role(staff, order.location, FRONT_OF_HOUSE, action=_("Taking a payment"))
    if tender not in Tender.values:
        raise invalid(
            "payment.invalid_tender",
            "tender",
            _("The tender is one of %(choices)s.") % {"choices": ", ".join(Tender.values)},
        )
    amount = money_in(amount, currency=currency, field="amount", positive=True)
    tip = money_in(tip, currency=currency, field="tip")
    tendered = money_in(tendered, currency=currency, field="tendered") if tendered is not None else None
    if tendered is not None and tender != Tender.CASH:
        raise invalid("payment.invalid_tendered", "tendered", _("Only cash is tendered."))
    card_last4, terminal_reference, reference = _card_details(tender, card_last4, terminal_reference, reference)
    if check_number is not None and (type(check_number) is not int or not 1 <= check_number <= MAX_CHECKS):
        raise invalid(
            "payment.invalid_check",
            "check_number",
            _("A check number from 1 to %(max_checks)s.") % {"max_checks": MAX_CHECKS},
        )
    return PaymentRequest(
        order=order,
        staff=staff,
        tender=tender,
        amount=amount,
        tip=tip,
        tendered=tendered,
        card_last4=card_last4,
        terminal_reference=terminal_reference,
        shift=shift,
        reference=reference,
        check_number=check_number,
        approved_by=approved_by,
    )


def _payment_plan(request: PaymentRequest) -> _Plan:
    """Inside `transaction.atomic()`: lock the order and the shift, and check the payment against them."""
    location, tender, amount, tip = request.order.location, request.tender, request.amount, request.tip
    currency = location.currency
    order = order_lock(request.order)
    shift = _shift_locked(request.shift, terminal_id=order.terminal_id, location=location)
    if tender == Tender.CASH and shift is None:
        raise ApplicationError("shift.required", _("Cash goes into a drawer: open a shift first."), status=409)
    balance = quantize_money(order.balance_due, currency)
    if balance <= 0:
        raise ApplicationError("payment.nothing_due", _("Nothing is left to pay on this order."), status=409)
    applied, tendered, change_due = amount, request.tendered, Decimal("0")
    if amount > balance:
        if tender != Tender.CASH:
            raise invalid(
                "payment.exceeds_balance",
                "amount",
                _("Only %(balance)s %(currency)s is due.") % {"balance": balance, "currency": currency},
            )
        applied = balance
    if tender == Tender.CASH:
        handed = tendered if tendered is not None else amount + tip
        if handed < applied + tip:
            raise invalid("payment.insufficient_tendered", "tendered", _("Less cash was handed over than is paid."))
        tendered, change_due = handed, handed - applied - tip
    tip_check(location=location, amount=applied, tip=tip, approved_by=request.approved_by)
    return _Plan(order=order, shift=shift, applied=applied, tendered=tendered, change_due=change_due)


@contextmanager
def payment_card_charged(request: PaymentRequest) -> Iterator[CardCharge | None]:
    """Charge the card of a CARD payment (None for other tenders) with no lock held, and void the charge if the
    block it is used in fails: a card is never charged without its payment row.

    The payment is checked under the order's lock first, the lock released, the card charged, and the block
    records it (`payment_record`), which checks again. Call it outside any transaction (the API's
    `idempotent(prepare=...)` does), or the lock stays held while the gateway answers.
    """
    if request.tender != Tender.CARD:
        yield None
        return
    location = request.order.location
    with transaction.atomic():
        plan = _payment_plan(request)
    gateway = payment_gateway(location)
    result = gateway.charge(
        location=location,
        amount=plan.applied + request.tip,
        currency=location.currency,
        card_last4=request.card_last4,
        terminal_reference=request.terminal_reference,
    )
    if not result.approved:
        metrics.payment_recorded(location_id=location.pk, method=request.tender, outcome="declined")
        raise ApplicationError("payment.declined", result.message or _("The card was declined."), status=402)
    try:
        yield CardCharge(
            order_version=plan.order.version,
            applied=plan.applied,
            tip=request.tip,
            card_last4=result.card_last4,
            terminal_reference=result.terminal_reference,
        )
    except BaseException:
        voided = gateway.void(
            location=location,
            amount=plan.applied + request.tip,
            currency=location.currency,
            terminal_reference=result.terminal_reference,
        )
        outcome = "voided" if voided.approved else "void_failed"
        metrics.payment_recorded(location_id=location.pk, method=request.tender, outcome=outcome)
        if not voided.approved:
            logger.error("card charge %s of location %s not voided", result.terminal_reference, location.pk)
        raise


def payment_record(request: PaymentRequest, charge: CardCharge | None = None) -> Payment:
    """Write the payment (a card's once `payment_card_charged` charged it): checked again under the lock, and
    a card charge whose order changed meanwhile is refused (409 `payment.order_changed`, the charge voided)."""
    location, tender, tip, staff = request.order.location, request.tender, request.tip, request.staff
    card_last4, terminal_reference = request.card_last4, request.terminal_reference
    now = timezone.now()
    with transaction.atomic():
        plan = _payment_plan(request)
        order, shift = plan.order, plan.shift
        if charge is not None:
            if order.version != charge.order_version or plan.applied != charge.applied:
                message = _(
                    "The order changed while the card was charged; the charge is voided, take the payment again."
                )
                raise ApplicationError("payment.order_changed", message, status=409)
            card_last4, terminal_reference = charge.card_last4, charge.terminal_reference
        payment = Payment.objects.create(
            order=order,
            tender=tender,
            amount=plan.applied,
            tip=tip,
            tendered=plan.tendered,
            change_due=plan.change_due,
            card_last4=card_last4,
            terminal_reference=terminal_reference,
            reference=request.reference,
            check_number=request.check_number,
            shift=shift,
            staff=staff,
            created_at=now,
        )
        order.paid_total += plan.applied + tip
        order.tip_total += tip
        order_reprice(order)
        events = [("order.paid", {"payment": payment_representation(payment, location)})]
        events += order_settle(order, staff=staff, now=now, shift=shift)
        order_save(order, now=now)
        order_events_emit(order, events)
        transaction.on_commit(
            partial(metrics.payment_recorded, location_id=location.pk, method=tender, outcome="captured")
        )
    return payment


def payment_add(**fields) -> Payment:
    """Record a payment (CASH, CARD or OTHER) and, once the order is fully paid, issue its receipt number.

    Cash: `tendered` (default amount + tip) minus what is kept is the change; an `amount` above the balance
    is cut to the balance and the rest given back. `shift` defaults to the open shift of the order's
    terminal; cash without one is refused. `check_number` is the split check this pays (see `order_split_*`).
    A tip above the location's `max_tip_percent` of the amount applied needs a manager's approval
    (`approved_by`, see `tip_check`). A card is charged with no lock held (`payment_card_charged`). A served
    order becomes COMPLETED with its last payment. `payment.order` is the order as it is after, ready for
    `order_representation`. Fields: those of `payment_request`.
    """
    request = payment_request(**fields)
    with payment_card_charged(request) as charge:
        return payment_record(request, charge)


def payment_refund(*, payment: Payment, staff, amount, reason: str) -> Refund:
    """Give back part or all of a payment (MANAGER or OWNER), tip included.

    The refund lands in the payment's shift if it is still open, else in the open shift of the same
    terminal; a cash refund with no open shift is refused. `refund.payment.order` is the order as it is
    after, ready for `order_representation`.
    """
    order = payment.order
    location = order.location
    require_role(staff, location, MANAGERS, action=_("Refunding"))
    amount = money_in(amount, currency=location.currency, field="amount", positive=True)
    reason = text_in(reason, field="reason", max_length=MAX_REASON, required=True)
    now = timezone.now()
    with transaction.atomic():
        order = order_lock(order, open_only=False)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        payment.order = order
        if amount > payment.refundable:
            refundable = quantize_money(payment.refundable, location.currency)
            raise invalid(
                "refund.exceeds_payment",
                "amount",
                _("At most %(refundable)s of this payment can be refunded.") % {"refundable": refundable},
            )
        paid_in = Shift.objects.get(pk=payment.shift_id) if payment.shift_id else None
        shift = _shift_locked(
            paid_in if paid_in and paid_in.is_open else None,
            terminal_id=paid_in.terminal_id if paid_in else order.terminal_id,
            location=location,
        )
        if payment.tender == Tender.CASH and shift is None:
            raise ApplicationError("shift.required", _("Cash comes out of a drawer: open a shift first."), status=409)
        terminal_reference = ""
        if payment.tender == Tender.CARD:
            result = payment_gateway(location).refund(
                location=location,
                amount=amount,
                currency=location.currency,
                terminal_reference=payment.terminal_reference,
            )
            if not result.approved:
                raise ApplicationError("refund.declined", result.message or _("The refund was declined."), status=402)
            terminal_reference = result.terminal_reference
        refund = Refund.objects.create(
            payment=payment,
            amount=amount,
            reason=reason,
            staff=staff,
            shift=shift,
            terminal_reference=terminal_reference,
            created_at=now,
        )
        payment.refunded_amount += amount
        payment.save(update_fields=["refunded_amount"])
        order.paid_total -= amount
        order.refunded_total += amount
        events = [
            (
                "order.refunded",
                {
                    "refund": refund_representation(refund, location),
                    "payment": payment_representation(payment, location),
                },
            )
        ]
        events += order_settle(order, staff=staff, now=now)
        order_save(order, now=now)
        order_events_emit(order, events)
        transaction.on_commit(
            partial(metrics.payment_recorded, location_id=location.pk, method=payment.tender, outcome="refunded")
        )
    return refund


@dataclass(frozen=True)
class SplitCheck:
    check_number: int
    amount: Decimal
    line_ids: tuple[int, ...] = ()


def order_split_even(*, order: Order, parts: int) -> list[SplitCheck]:
    """The balance due in `parts` checks that differ by at most one minor unit (the first ones larger)."""
    if isinstance(parts, bool) or not isinstance(parts, int) or not 2 <= parts <= MAX_CHECKS:
        raise invalid(
            "order.invalid_split", "parts", _("Split into 2 to %(max_checks)s checks.") % {"max_checks": MAX_CHECKS}
        )
    amounts = allocate(order.balance_due, [Decimal(1)] * parts, order.location.currency)
    return [SplitCheck(check_number=i, amount=amount) for i, amount in enumerate(amounts, start=1)]


def _split_unpaid(order: Order) -> None:
    if order.paid_total or order.refunded_total:
        raise ApplicationError("order.split_after_payment", _("Split by items before taking any payment."), status=409)


def _split_groups_check(groups, lines: list) -> None:
    """`groups` is 2 to MAX_CHECKS lists of line ids that hold every line of `lines` exactly once."""
    well_formed = (
        isinstance(groups, list)
        and 2 <= len(groups) <= MAX_CHECKS
        and all(isinstance(group, list) and group and all(type(i) is int for i in group) for group in groups)
    )
    if not well_formed or sorted(i for group in groups for i in group) != [line.pk for line in lines]:
        raise invalid("order.invalid_split", "groups", _("Put every item of the order in exactly one check."))


def _due_per_line(order: Order, lines: list) -> dict[int, Decimal]:
    """What each line's check pays: the line after its share of the discount, with its tax when added on top and
    its share of the tip (in proportion to the rest), rounded to the currency."""
    location = order.location
    totals = order_totals(order, lines)
    exclusive = location.tax_mode == Location.TaxMode.EXCLUSIVE
    due = [p.line_total - p.discount + (p.tax if exclusive else 0) for p in totals.lines]
    tips = allocate(order.tip_total, due, location.currency)
    return {line.pk: quantize_money(d + t, location.currency) for line, d, t in zip(lines, due, tips, strict=True)}


def order_split_by_lines(*, order: Order, groups: list[list[int]]) -> list[SplitCheck]:
    """One check per group of line ids; every line that counts in exactly one group.

    A check pays its lines after their share of the discount, with their tax when added on top and a
    share of the tip in proportion: the checks add up to the order total. Only before any payment.
    """
    _split_unpaid(order)
    lines = list(order.lines.filter(voided=False).order_by("pk"))
    _split_groups_check(groups, lines)
    per_line = _due_per_line(order, lines)
    return [
        SplitCheck(check_number=i, amount=sum((per_line[pk] for pk in group), Decimal("0")), line_ids=tuple(group))
        for i, group in enumerate(groups, start=1)
    ]
