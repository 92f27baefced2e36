"""Who may call what, as the API promises it: every endpoint × every kind of caller with its expected status,
written out by hand (not derived from the views' access maps), and one allowed request per endpoint. Read by
`orders/tests/test_api_roles.py` and the security tests of `cafepos/tests`."""

from decimal import Decimal
from functools import cached_property

from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.api import api_as, api_with_key
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from menu.tests.factories import MenuItemFactory
from orders.models import Tender
from orders.services import payment_add
from orders.tests.factories import OrderFactory, ShiftFactory, line
from tables.tests.factories import TableFactory

CALLERS = (
    "OWNER",
    "MANAGER",
    "CASHIER",
    "KITCHEN",
    "key menu:read",
    "key menu:write",
    "key orders:read",
    "key orders:write",
    "key reports:read",
    "anonymous",
)

# fmt: off
EXPECTED = {
    #                    OWNER MANAGER CASHIER KITCHEN m:read m:write o:read o:write r:read anonymous
    "me":               (200,  200,    200,    200,    200,   200,    200,   200,    200,   401),
    "locations":        (200,  200,    200,    200,    200,   200,    200,   200,    200,   401),
    "schema":           (200,  200,    200,    200,    200,   200,    200,   200,    200,   200),
    "menu":             (200,  200,    200,    200,    200,   403,    403,   403,    403,   401),
    "menu item":        (200,  200,    200,    200,    200,   403,    403,   403,    403,   401),
    "item sold out":    (200,  200,    403,    403,    403,   200,    403,   403,    403,   401),
    "item back":        (200,  200,    403,    403,    403,   200,    403,   403,    403,   401),
    "tables":           (200,  200,    200,    200,    403,   403,    200,   403,    403,   401),
    "tickets":          (200,  200,    200,    200,    403,   403,    200,   403,    403,   401),
    "order quote":      (200,  200,    200,    403,    403,   403,    403,   200,    403,   401),
    "order create":     (201,  201,    201,    403,    403,   403,    403,   201,    403,   401),
    "order list":       (200,  200,    200,    200,    403,   403,    200,   403,    403,   401),
    "order detail":     (200,  200,    200,    200,    403,   403,    200,   403,    403,   401),
    "order items":      (200,  200,    200,    403,    403,   403,    403,   403,    403,   401),
    "order void":       (200,  200,    200,    403,    403,   403,    403,   403,    403,   401),
    "order status":     (200,  200,    200,    403,    403,   403,    403,   403,    403,   401),
    "order discount":   (200,  200,    200,    403,    403,   403,    403,   403,    403,   401),
    "order payment":    (201,  201,    201,    403,    403,   403,    403,   403,    403,   401),
    "order refund":     (201,  201,    403,    403,    403,   403,    403,   403,    403,   401),
    "shift list":       (200,  200,    200,    403,    403,   403,    403,   403,    200,   401),
    "shift detail":     (200,  200,    200,    403,    403,   403,    403,   403,    200,   401),
    "shift open":       (201,  201,    201,    403,    403,   403,    403,   403,    403,   401),
    "shift cash":       (201,  201,    403,    403,    403,   403,    403,   403,    403,   401),
    "shift close":      (200,  200,    403,    403,    403,   403,    403,   403,    403,   401),
    "sales report":     (200,  200,    403,    403,    403,   403,    403,   403,    200,   401),
    "receipt email":    (202,  202,    202,    403,    403,   403,    403,   202,    403,   401),
}
# fmt: on
# A drawer is its terminal's: the table's CASHIER is not the one who opened `World.shift` and calls off a till.
# A CASHIER's refund needs a manager's PIN (`approval`), which the table's call does not carry.
REFUSED_CODES = {
    "shift cash": "shift.not_yours",
    "shift close": "shift.not_yours",
    "order refund": "refund.approval_required",
}


class World:
    """One location with what each endpoint acts on, built only when a case needs it."""

    def __init__(self):
        self.location = LocationFactory(currency="EUR")

    @cached_property
    def item(self):
        return MenuItemFactory(location=self.location, price=Decimal("3.50"))

    @cached_property
    def cashier(self):
        return staff(self.location, Role.CASHIER)

    @cached_property
    def order(self):
        return OrderFactory(location=self.location, staff=self.cashier, lines=[line(self.item, 2)])

    @cached_property
    def paid_order(self):
        order = OrderFactory(location=self.location, staff=self.cashier, lines=[line(self.item)])
        payment_add(order=order, staff=self.cashier, tender=Tender.CARD, amount=order.balance_due)
        return order

    @cached_property
    def shift(self):
        return ShiftFactory(terminal=TerminalFactory(location=self.location), staff=self.cashier)


def _cart(world: World) -> dict:
    return {"type": "TAKEAWAY", "items": [{"menu_item_id": world.item.pk, "quantity": 1}]}


def _tables(world: World) -> tuple[str, str, None]:
    TableFactory(location=world.location)
    return "get", "/api/v1/tables/", None


def _tickets(world: World) -> tuple[str, str, None]:
    assert world.order.tickets.exists()
    return "get", "/api/v1/tickets/", None


def _order_void(world: World) -> tuple[str, str, dict]:
    order = world.order
    path = f"/api/v1/orders/{order.pk}/items/{order.lines.get().pk}/void/"
    return "post", path, {"reason": "Dropped", "version": order.version}


def _order_refund(world: World) -> tuple[str, str, dict]:
    payment = world.paid_order.payments.get()
    body = {"payment_id": payment.pk, "amount": 100, "reason": "Cold"}
    return "post", f"/api/v1/orders/{world.paid_order.pk}/refunds/", body


def _shift_open(world: World) -> tuple[str, str, dict]:
    terminal = TerminalFactory(location=world.location)
    return "post", "/api/v1/shifts/", {"opening_float": 10000, "terminal_id": terminal.pk}


# endpoint → (method, path, body) of one allowed call, built from the world only when the case runs
REQUESTS = {
    "me": lambda world: ("get", "/api/v1/me/", None),
    "locations": lambda world: ("get", "/api/v1/locations/", None),
    "schema": lambda world: ("get", "/api/v1/schema/", None),
    "menu": lambda world: ("get", "/api/v1/menu/", None),
    "menu item": lambda world: ("get", f"/api/v1/menu/items/{world.item.pk}/", None),
    "item sold out": lambda world: ("post", f"/api/v1/menu/items/{world.item.pk}/sold-out/", None),
    "item back": lambda world: ("post", f"/api/v1/menu/items/{world.item.pk}/back-in-stock/", None),
    "tables": _tables,
    "tickets": _tickets,
    "order quote": lambda world: ("post", "/api/v1/orders/quote/", _cart(world)),
    "order create": lambda world: ("post", "/api/v1/orders/", _cart(world)),
    "order list": lambda world: ("get", "/api/v1/orders/", None),
    "order detail": lambda world: ("get", f"/api/v1/orders/{world.order.pk}/", None),
    "order items": lambda world: (
        "post",
        f"/api/v1/orders/{world.order.pk}/items/",
        {"items": _cart(world)["items"], "version": world.order.version},
    ),
    "order void": _order_void,
    "order status": lambda world: (
        "post",
        f"/api/v1/orders/{world.order.pk}/status/",
        {"status": "CANCELLED", "version": world.order.version},
    ),
    "order discount": lambda world: (
        "post",
        f"/api/v1/orders/{world.order.pk}/discounts/",
        {"amount": 50, "reason": "Regular", "version": world.order.version},
    ),
    "order payment": lambda world: (
        "post",
        f"/api/v1/orders/{world.order.pk}/payments/",
        {"tender": "CARD", "amount": 700},
    ),
    "order refund": _order_refund,
    "shift list": lambda world: ("get", "/api/v1/shifts/", None),
    "shift detail": lambda world: ("get", f"/api/v1/shifts/{world.shift.pk}/", None),
    "shift open": _shift_open,
    "shift cash": lambda world: (
        "post",
        f"/api/v1/shifts/{world.shift.pk}/cash-movements/",
        {"amount": -500, "reason": "Bank"},
    ),
    "shift close": lambda world: ("post", f"/api/v1/shifts/{world.shift.pk}/close/", {"counted_cash": 10000}),
    "sales report": lambda world: ("get", "/api/v1/reports/sales/?from=2026-01-01&to=2026-01-31", None),
    "receipt email": lambda world: (
        "post",
        f"/api/v1/orders/{world.order.pk}/receipt-email/",
        {"email": "guest@example.com"},
    ),
}


def request_for(endpoint: str, world: World) -> tuple[str, str, dict | None]:
    """(method, path, body) of one allowed call of `endpoint`."""
    return REQUESTS[endpoint](world)


def client_for(caller: str, world: World) -> APIClient:
    if caller == "anonymous":
        return APIClient()
    if caller.startswith("key "):
        return api_with_key(world.location, [caller.removeprefix("key ")])
    return api_as(staff(world.location, getattr(Role, caller)))
