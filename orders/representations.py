"""The JSON shapes of orders, tickets, payments and shifts, shared by the API, WebSocket events and webhooks.

Money is an integer in minor units with the currency alongside; rates are decimal strings; times are ISO
8601 with the offset of the location's time zone. Pass objects loaded as each docstring names (by
`orders.selectors.lines_prefetch()`, or as the services wrote them): the lines of an order or a ticket in
`line_list`, each with its modifiers in `modifier_list`; no representation runs a query.
"""

import datetime

from accounts.models import Location
from cafepos.money import to_minor_units

from .models import Order, OrderLine, Payment, Refund, Shift, Ticket


def _time(value: datetime.datetime | None, location: Location) -> str | None:
    return value.astimezone(location.zone).isoformat() if value else None


def _money(amount, currency: str) -> int | None:
    return None if amount is None else to_minor_units(amount, currency)


def _modifiers(line: OrderLine, currency: str) -> list[dict]:
    return [
        {"id": m.modifier_id, "name": m.name, "price_delta": _money(m.price_delta, currency)}
        for m in line.modifier_list
    ]


def order_line_representation(line: OrderLine, currency: str) -> dict:
    return {
        "id": line.pk,
        "menu_item_id": line.menu_item_id,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price": _money(line.unit_price, currency),
        "modifiers": _modifiers(line, currency),
        "note": line.note,
        "station": line.station,
        "tax_rate": str(line.tax_rate),
        "line_total": _money(line.line_total, currency),
        "voided": line.voided,
    }


def order_representation(order: Order) -> dict:
    """The order as the API shows it. Needs `location` and `line_list` (with `modifier_list`) loaded."""
    location = order.location
    currency = location.currency
    money = {
        name: _money(getattr(order, name), currency)
        for name in ("subtotal", "discount_total", "tax_total", "tip_total", "total", "paid_total")
    }
    return {
        "id": order.pk,
        "number": order.display_number,
        "location_id": order.location_id,
        "business_day": order.business_day.isoformat(),
        "type": order.type,
        "source": order.source,
        "external_id": order.external_id,
        "table_id": order.table_id,
        "status": order.status,
        "payment_status": order.payment_status,
        "version": order.version,
        "currency": currency,
        "customer": {
            "name": order.customer_name,
            "phone": order.customer_phone,
            "email": order.customer_email,
            "address": order.customer_address,
        },
        "note": order.note,
        "items": [order_line_representation(line, currency) for line in order.line_list],
        **money,
        "balance_due": _money(order.balance_due, currency),
        "receipt_number": order.receipt_number,
        "created_at": _time(order.created_at, location),
        "updated_at": _time(order.updated_at, location),
    }


def ticket_representation(ticket: Ticket) -> dict:
    """What a kitchen display shows. Needs `order__location` and `line_list` (with `modifier_list`) loaded.

    Voided lines stay on the ticket with `voided: true`, so the station sees them struck out as VOID.
    """
    order = ticket.order
    location = order.location
    return {
        "id": ticket.pk,
        "order_id": order.pk,
        "order_number": order.display_number,
        "order_type": order.type,
        "order_status": order.status,
        "table_id": order.table_id,
        "location_id": order.location_id,
        "station": ticket.station,
        "status": ticket.status,
        "items": [
            {
                "id": line.pk,
                "name": line.name,
                "quantity": line.quantity,
                "modifiers": [m.name for m in line.modifier_list],
                "note": line.note,
                "voided": line.voided,
            }
            for line in ticket.line_list
        ],
        "created_at": _time(ticket.created_at, location),
        "started_at": _time(ticket.started_at, location),
        "done_at": _time(ticket.done_at, location),
        "updated_at": _time(ticket.updated_at, location),
    }


def refund_representation(refund: Refund, location: Location) -> dict:
    currency = location.currency
    return {
        "id": refund.pk,
        "payment_id": refund.payment_id,
        "amount": _money(refund.amount, currency),
        "currency": currency,
        "reason": refund.reason,
        "staff_id": refund.staff_id,
        "shift_id": refund.shift_id,
        "created_at": _time(refund.created_at, location),
    }


def payment_representation(payment: Payment, location: Location) -> dict:
    currency = location.currency
    return {
        "id": payment.pk,
        "order_id": payment.order_id,
        "tender": payment.tender,
        "currency": currency,
        "amount": _money(payment.amount, currency),
        "tip": _money(payment.tip, currency),
        "tendered": _money(payment.tendered, currency),
        "change_due": _money(payment.change_due, currency),
        "card_last4": payment.card_last4 or None,
        "terminal_reference": payment.terminal_reference or None,
        "reference": payment.reference or None,
        "check_number": payment.check_number,
        "refunded_amount": _money(payment.refunded_amount, currency),
        "shift_id": payment.shift_id,
        "staff_id": payment.staff_id,
        "created_at": _time(payment.created_at, location),
    }


def shift_representation(shift: Shift) -> dict:
    """A drawer's shift; `z_report` (already in minor units) is present once it is closed."""
    location = shift.location
    currency = location.currency
    return {
        "id": shift.pk,
        "location_id": shift.location_id,
        "terminal_id": shift.terminal_id,
        "currency": currency,
        "opened_by_id": shift.opened_by_id,
        "opened_at": _time(shift.opened_at, location),
        "opening_float": _money(shift.opening_float, currency),
        "closed_by_id": shift.closed_by_id,
        "closed_at": _time(shift.closed_at, location),
        "counted_cash": _money(shift.counted_cash, currency),
        "expected_cash": _money(shift.expected_cash, currency),
        "variance": _money(shift.variance, currency),
        "z_report": shift.z_report,
    }


def quote_representation(quote) -> dict:
    """A priced cart (`orders.services.Quote`): the lines as they would be ordered and every total."""
    totals = quote.totals
    currency = totals.currency
    return {
        "currency": currency,
        "type": quote.type,
        "items": [
            {
                "menu_item_id": line.menu_item_id,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": _money(line.unit_price, currency),
                "modifiers": [
                    {"id": m.modifier_id, "name": m.name, "price_delta": _money(m.price_delta, currency)}
                    for m in line.modifiers
                ],
                "note": line.note,
                "station": line.station,
                "tax_rate": str(line.tax_rate),
                "line_total": _money(line.line_total, currency),
            }
            for line in quote.lines
        ],
        "subtotal": _money(totals.subtotal, currency),
        "discount_total": _money(totals.discount_total, currency),
        "tax_total": _money(totals.tax_total, currency),
        "taxes": [{"rate": str(rate), "amount": _money(tax, currency)} for rate, tax in totals.taxes_by_rate.items()],
        "tip_total": _money(totals.tip_total, currency),
        "total": _money(totals.total, currency),
    }
