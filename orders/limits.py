"""The limits of what an order request may carry, defined once: the API's serializers check them, and
`PAGE_LIMITS` is the same numbers for the POS pages' JavaScript (`json_script`)."""

MAX_CART_LINES = 100  # lines per request (create, quote, add items)
MAX_QUANTITY = 999  # of one line
MAX_MODIFIERS = 100  # chosen on one line
MAX_LINE_NOTE = 200  # characters
MAX_ORDER_NOTE = 1000  # characters
MAX_SOURCE = 50  # characters: POS, API or an integrator's name
MAX_EXTERNAL_ID = 100  # characters
MAX_REASON = 200  # characters of a void, refund or cash movement reason
MAX_LOOKUP_DAYS = 31  # how far back the till finds an order by its number or receipt number
MAX_ORDER_NUMBER = 2_147_483_647  # an order or receipt number (a PostgreSQL integer)
CUSTOMER_FIELDS = {"name": 150, "phone": 40, "email": 254, "address": 500}  # characters of each detail

PAGE_LIMITS = {
    "max_cart_lines": MAX_CART_LINES,
    "max_quantity": MAX_QUANTITY,
    "max_modifiers": MAX_MODIFIERS,
    "max_line_note": MAX_LINE_NOTE,
    "max_order_note": MAX_ORDER_NOTE,
    "max_reason": MAX_REASON,
    "customer_fields": CUSTOMER_FIELDS,
    "max_lookup_days": MAX_LOOKUP_DAYS,
}
