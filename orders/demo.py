"""The demo cafe's day in progress (demo data only): a few tables taken, tickets waiting on the kitchen and bar
screens and one item sold out, as the README's screenshots show. Made through the services, so the orders have
their tickets and events like any other. Also the staff and carts the sales history (reports/demo.py) uses."""

from django.db.models import Q

from accounts.models import Location, Membership, Role
from menu.models import MenuItem
from menu.services import menu_item_mark_sold_out
from tables.models import Table

from .models import Order, OrderType
from .services import CartItem, order_create, order_status_set, ticket_bump, ticket_start

# (table label, or None for a takeaway; [(item SKU, quantity)]; how far its tickets got: new, started or ready)
OPEN_ORDERS = [
    ("3", [("BRK-01", 1), ("COF-06", 2)], "new"),
    ("7", [("LUN-05", 2), ("CLD-04", 1), ("COF-07", 1)], "started"),
    ("T2", [("BRK-03", 1), ("TEA-05", 1)], "ready"),
    ("5", [("LUN-01", 1), ("TEA-01", 1)], "served"),
    (None, [("COF-08", 1), ("PAS-04", 1)], "new"),
]
SOLD_OUT_SKU = "PAS-03"  # the almond croissants are gone


def demo_people(location: Location) -> tuple:
    """The location's cashier, cook and manager (an owner standing in for whoever is missing)."""
    memberships = (
        Membership.objects.filter(is_active=True, user__is_active=True)
        .filter(Q(location=location) | Q(role=Role.OWNER, location__organization_id=location.organization_id))
        .select_related("user")
    )
    by_role = {membership.role: membership.user for membership in memberships}
    manager = by_role.get(Role.MANAGER) or by_role.get(Role.OWNER)
    cashier = by_role.get(Role.CASHIER) or manager
    cook = by_role.get(Role.KITCHEN) or manager
    return cashier, cook, manager


def demo_cart_item(item: MenuItem, quantity: int) -> CartItem:
    """The item with the first choices of each group that needs one (a size for a cappuccino)."""
    modifiers = []
    for group in item.modifier_groups.all():
        needed = max(group.min_selections, 1 if group.is_required else 0)
        modifiers += [modifier.pk for modifier in list(group.modifiers.all())[:needed]]
    return CartItem(menu_item_id=item.pk, quantity=quantity, modifier_ids=tuple(modifiers))


def _advance(order: Order, stage: str, *, cashier, cook) -> None:
    for ticket in order.tickets.all() if stage != "new" else ():
        ticket_start(ticket=ticket, staff=cook)
        if stage in ("ready", "served"):
            ticket_bump(ticket=ticket, staff=cook)
    if stage == "served":
        order = Order.objects.select_related("location").get(pk=order.pk)
        order_status_set(order=order, staff=cashier, status="SERVED", version=order.version)


def seed_open_orders(location: Location) -> int:
    """Open today's orders and sell out one item at a location that has no order yet; returns how many."""
    if Order.objects.filter(location=location).exists():
        return 0
    cashier, cook, manager = demo_people(location)
    items = {
        item.sku: item
        for item in MenuItem.objects.filter(location=location, is_active=True).prefetch_related(
            "modifier_groups__modifiers"
        )
    }
    tables = {table.label: table for table in Table.objects.filter(location=location, is_active=True)}
    wanted = [(label, lines, stage) for label, lines, stage in OPEN_ORDERS if all(sku in items for sku, _ in lines)]
    if not (cashier and cook and wanted):
        return 0
    made = 0
    for label, lines, stage in wanted:
        if label is not None and label not in tables:
            continue
        order = order_create(
            location=location,
            staff=cashier,
            type=OrderType.DINE_IN if label else OrderType.TAKEAWAY,
            table=tables.get(label),
            lines=[demo_cart_item(items[sku], quantity) for sku, quantity in lines],
        )
        _advance(order, stage, cashier=cashier, cook=cook)
        made += 1
    if SOLD_OUT_SKU in items:
        menu_item_mark_sold_out(item=items[SOLD_OUT_SKU], by=manager)
    return made
