"""Every write to orders, tickets, payments and shifts (the only way clients change them)."""

from .approvals import approver_choose, discount_approved, manager_pin_approval, refund_approver, tip_approver
from .defaults import payment_shift, shift_terminal
from .inputs import CartItem, CustomerDetails
from .orders import (
    customers_erase_expired,
    order_create,
    order_customer_erase,
    order_discount_set,
    order_line_void,
    order_lines_add,
    order_status_set,
)
from .payments import (
    SplitCheck,
    order_split_by_lines,
    order_split_even,
    payment_add,
    payment_card_charged,
    payment_record,
    payment_refund,
    payment_request,
)
from .pricing import Quote, Totals, order_quote, totals_compute
from .shifts import shift_cash_move, shift_close, shift_open
from .tickets import ticket_bump, ticket_recall, ticket_start

__all__ = [
    "CartItem",
    "CustomerDetails",
    "Quote",
    "SplitCheck",
    "Totals",
    "approver_choose",
    "customers_erase_expired",
    "discount_approved",
    "manager_pin_approval",
    "order_create",
    "order_customer_erase",
    "order_discount_set",
    "order_line_void",
    "order_lines_add",
    "order_quote",
    "order_split_by_lines",
    "order_split_even",
    "order_status_set",
    "payment_add",
    "payment_card_charged",
    "payment_record",
    "payment_refund",
    "payment_request",
    "payment_shift",
    "shift_cash_move",
    "shift_close",
    "shift_open",
    "shift_terminal",
    "ticket_bump",
    "ticket_recall",
    "ticket_start",
    "refund_approver",
    "tip_approver",
    "totals_compute",
]
