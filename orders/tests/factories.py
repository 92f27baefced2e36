"""Order factories for every app's tests: orders and shifts are made through the services, as in production.

`OrderFactory(location=l)` takes an order of one KITCHEN item for a fresh cashier; pass `lines=[line(item)]`,
`type=OrderType.DINE_IN` (a table is made), `staff=`, `terminal=` and any `order_create` argument.
`order_at_status("SERVED", ...)` walks an order through the lifecycle; `ShiftFactory(terminal=t)` opens a drawer.
"""

from decimal import Decimal

import factory

from accounts.models import Role
from accounts.tests.factories import LocationFactory, TerminalFactory
from accounts.tests.factories import staff as staff_member
from menu.tests.factories import MenuItemFactory
from orders.models import Order, OrderStatus, OrderType, Shift, Tender
from orders.services import order_create, order_status_set, payment_add, shift_open, ticket_bump, ticket_start
from orders.services.inputs import CartItem, CustomerDetails
from tables.tests.factories import TableFactory


def line(item, quantity: int = 1, modifiers=(), note: str = "") -> CartItem:
    """One cart line for `order_create` / `order_lines_add` / `order_quote`."""
    return CartItem(menu_item_id=item.pk, quantity=quantity, modifier_ids=tuple(m.pk for m in modifiers), note=note)


class OrderFactory(factory.Factory):
    class Meta:
        model = Order

    location = factory.SubFactory(LocationFactory)
    staff = factory.LazyAttribute(lambda o: staff_member(o.location, Role.CASHIER))
    type = OrderType.TAKEAWAY
    table = factory.LazyAttribute(lambda o: TableFactory(location=o.location) if o.type == OrderType.DINE_IN else None)
    lines = factory.LazyAttribute(lambda o: [line(MenuItemFactory(location=o.location))])

    @classmethod
    def _create(cls, model_class, **kwargs):
        if isinstance(kwargs.get("customer"), dict):  # as the API's serializer hands it over
            kwargs["customer"] = CustomerDetails(**kwargs["customer"])
        return order_create(**kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("orders are only made through order_create: use OrderFactory()")


class ShiftFactory(factory.Factory):
    class Meta:
        model = Shift

    terminal = factory.SubFactory(TerminalFactory)
    staff = factory.LazyAttribute(lambda o: staff_member(o.terminal.location, Role.CASHIER))
    opening_float = Decimal("100.00")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return shift_open(**kwargs)


def order_at_status(status: str, **order_fields) -> Order:
    """An order with one KITCHEN ticket walked through the services to `status` (COMPLETED is paid by card)."""
    order = OrderFactory(**order_fields)
    cashier = order.staff or staff_member(order.location, Role.CASHIER)
    cook = staff_member(order.location, Role.KITCHEN)
    if status == OrderStatus.CANCELLED:
        return order_status_set(order=order, staff=cashier, status=status, version=order.version)
    steps = [OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.SERVED, OrderStatus.COMPLETED]
    wanted = steps[: steps.index(status) + 1] if status != OrderStatus.PENDING else []
    for step in wanted:
        if step == OrderStatus.PREPARING:
            ticket_start(ticket=order.tickets.get(), staff=cook)
        elif step == OrderStatus.READY:
            ticket_bump(ticket=order.tickets.get(), staff=cook)
        elif step == OrderStatus.SERVED:
            order = Order.objects.select_related("location").get(pk=order.pk)
            order = order_status_set(order=order, staff=cashier, status=step, version=order.version)
        else:
            payment_add(order=order, staff=cashier, tender=Tender.CARD, amount=order.balance_due)
    return Order.objects.select_related("location").get(pk=order.pk)
