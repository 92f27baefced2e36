"""Taking orders: validation against the menu, snapshots, tickets per station, versions, voids, discounts,
numbers, events and customer erasure."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.api.errors import flatten_fields
from cafepos.models import Event
from cafepos.outbox import location_lock
from menu.models import Station
from menu.selectors import menu_for_location
from menu.tests.factories import MenuItemFactory, ModifierFactory, ModifierGroupFactory
from orders.api.v1.serializers.orders import QuoteRequestSerializer
from orders.limits import MAX_QUANTITY
from orders.models import Order, OrderLine, OrderType, Ticket
from orders.representations import order_representation, ticket_representation
from orders.selectors import open_tickets, orders_for
from orders.services import (
    customers_erase_expired,
    order_create,
    order_customer_erase,
    order_discount_set,
    order_line_void,
    order_lines_add,
    order_quote,
    order_status_set,
    payment_add,
)
from orders.services.inputs import CartItem, CustomerDetails
from orders.tests.assertions import refused
from orders.tests.factories import OrderFactory, line
from tables.tests.factories import TableFactory

pytestmark = pytest.mark.django_db


def events_of(location) -> list[str]:
    return list(Event.objects.filter(location_id=location.pk).order_by("seq").values_list("type", flat=True))


def test_an_order_snapshots_the_menu_and_prices_every_line(location, cashier):
    # given a flat white at 3.50 with oat milk at +0.50, 10 % tax included
    milk = ModifierGroupFactory(location=location, name="Milk")
    oat = ModifierFactory(group=milk, name="Oat milk", price_delta=Decimal("0.50"))
    flat_white = MenuItemFactory(
        location=location, name="Flat white", price=Decimal("3.50"), station=Station.BAR, modifier_groups=[milk]
    )
    # when two are ordered
    order = order_create(
        location=location, staff=cashier, type="TAKEAWAY", lines=[line(flat_white, 2, [oat], note="extra hot")]
    )
    # then the line holds copies of the menu, and (3.50 + 0.50) × 2 = 8.00 with 0.73 tax inside
    [saved] = order.lines.all()
    assert (saved.name, saved.unit_price, saved.tax_rate, saved.station) == (
        "Flat white",
        Decimal("3.50"),
        Decimal("10.00"),
        "BAR",
    )
    assert [(m.name, m.price_delta) for m in saved.modifiers.all()] == [("Oat milk", Decimal("0.50"))]
    assert (order.subtotal, order.tax_total, order.total, order.balance_due) == (
        Decimal("8.00"),
        Decimal("0.73"),
        Decimal("8.00"),
        Decimal("8.00"),
    )
    assert (order.number, order.display_number, order.version) == (1, "#0001", 1)


def test_an_order_keeps_the_names_in_its_locations_language_for_the_kitchen_and_the_receipt(cashier, location):
    location.language = "de"
    location.save(update_fields=["language"])
    milk = ModifierGroupFactory(location=location, name="Milk")
    oat = ModifierFactory(group=milk, name="Oat milk", translations={"de": {"name": "Hafermilch"}})
    latte = MenuItemFactory(
        location=location, name="Latte", modifier_groups=[milk], translations={"fr": {"name": "Crème"}}
    )
    flat_white = MenuItemFactory(location=location, name="Flat white", translations={"de": {"name": "Flat White"}})

    order = order_create(
        location=location, staff=cashier, type="TAKEAWAY", lines=[line(latte, 1, [oat]), line(flat_white)]
    )

    assert [(saved.name, [m.name for m in saved.modifiers.all()]) for saved in order.lines.order_by("pk")] == [
        ("Latte", ["Hafermilch"]),  # no German name: as stored
        ("Flat White", []),
    ]


def test_the_next_order_takes_a_menu_change_at_once(location, cashier):
    # given the menu read (cached) and an order taken from it
    scone = MenuItemFactory(location=location, name="Scone", price=Decimal("2.80"))
    oat = ModifierFactory(group=ModifierGroupFactory(location=location, name="Milk"), price_delta=Decimal("0.40"))
    latte = MenuItemFactory(location=location, name="Latte", modifier_groups=[oat.group])
    order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(scone), line(latte, modifiers=[oat])])

    # when the price, a modifier's price delta and the latte's availability change
    scone.price = Decimal("3.10")
    scone.save()
    oat.price_delta = Decimal("0.60")
    oat.save()
    latte.is_sold_out = True
    latte.save()

    # then the next order is priced and checked against the changed menu
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(scone)])
    assert order.lines.get().unit_price == Decimal("3.10")
    refused("menu.item_sold_out", order_create, location=location, staff=cashier, type="TAKEAWAY", lines=[line(latte)])
    latte.is_sold_out = False
    latte.save()
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(latte, modifiers=[oat])])
    assert order.lines.get().modifiers.get().price_delta == Decimal("0.60")


def test_a_price_change_does_not_alter_an_existing_order(location, cashier):
    item = MenuItemFactory(location=location, name="Scone", price=Decimal("2.80"))
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)])
    item.price, item.name, item.tax_rate = Decimal("3.20"), "Big scone", Decimal("20.00")
    item.save()
    order = Order.objects.get(pk=order.pk)
    [saved] = order.lines.all()
    assert (saved.name, saved.unit_price, saved.tax_rate, order.total) == (
        "Scone",
        Decimal("2.800"),
        Decimal("10.00"),
        Decimal("2.800"),
    )


def test_one_ticket_per_station_and_none_for_grab_and_go_lines(location, cashier):
    food = MenuItemFactory(location=location, station=Station.KITCHEN)
    drink = MenuItemFactory(location=location, station=Station.BAR)
    cookie = MenuItemFactory(location=location, station=Station.NONE)
    order = order_create(
        location=location, staff=cashier, type="TAKEAWAY", lines=[line(food), line(drink), line(food, 2), line(cookie)]
    )
    tickets = {t.station: t for t in order.tickets.all()}
    assert sorted(tickets) == ["BAR", "KITCHEN"]
    assert tickets["KITCHEN"].lines.count() == 2
    assert tickets["BAR"].lines.count() == 1
    assert order.lines.get(station="NONE").ticket is None


def test_adding_lines_sends_only_the_new_lines_as_new_tickets(location, cashier):
    food = MenuItemFactory(location=location, station=Station.KITCHEN)
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food)])
    first_ticket = order.tickets.get()
    order = order_lines_add(order=order, staff=cashier, lines=[line(food, 3)], version=order.version)
    new_ticket = order.tickets.exclude(pk=first_ticket.pk).get()
    assert [ln.quantity for ln in new_ticket.lines.all()] == [3]
    assert [ln.quantity for ln in first_ticket.lines.all()] == [1]
    assert order.version == 2


def test_a_retried_add_with_the_same_version_never_sends_a_second_ticket(location, cashier):
    food = MenuItemFactory(location=location, station=Station.KITCHEN)
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food)])
    read_version = order.version
    order_lines_add(order=order, staff=cashier, lines=[line(food)], version=read_version)
    refused("order.version_conflict", order_lines_add, order=order, staff=cashier, lines=[line(food)], version=1)
    assert Ticket.objects.filter(order=order).count() == 2
    assert OrderLine.objects.filter(order=order).count() == 2


def test_a_stale_version_is_refused_for_every_update(location, cashier, manager):
    order = OrderFactory(location=location, staff=cashier)
    food_line = order.lines.get()
    order = order_discount_set(order=order, staff=cashier, amount=Decimal("0.10"), reason="regular", version=1)
    stale = {"order": order, "version": 1}
    refused("order.version_conflict", order_lines_add, staff=cashier, lines=[line(food_line.menu_item)], **stale)
    refused("order.version_conflict", order_line_void, staff=cashier, line=food_line, reason="x", **stale)
    refused("order.version_conflict", order_discount_set, staff=cashier, amount=None, reason="", **stale)
    refused("order.version_conflict", order_status_set, staff=manager, status="CANCELLED", **stale)
    assert Order.objects.get(pk=order.pk).version == 2
    refused("validation.invalid_version", order_discount_set, order=order, staff=cashier, amount=None, version="2")


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ({"is_sold_out": True}, "menu.item_sold_out"),
        ({"is_active": False}, "menu.item_unavailable"),
        ({"location": "other"}, "menu.item_unavailable"),
    ],
)
def test_an_item_that_cannot_be_sold_is_refused(location, cashier, setup, code):
    fields = {**setup, "location": LocationFactory() if setup.get("location") else location}
    item = MenuItemFactory(**fields)
    refused(code, order_create, location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)])
    assert not Order.objects.exists()


def test_modifiers_are_checked_against_the_items_groups(location, cashier):
    # given a required single choice of size and an optional, at most two, choice of syrups
    size = ModifierGroupFactory(location=location, min_selections=1, max_selections=1, is_required=True)
    small, large = ModifierFactory(group=size), ModifierFactory(group=size)
    syrups = ModifierGroupFactory(location=location, min_selections=0, max_selections=2)
    vanilla, caramel = ModifierFactory(group=syrups), ModifierFactory(group=syrups)
    hazelnut = ModifierFactory(group=syrups, is_sold_out=True)
    foreign = ModifierFactory(group=ModifierGroupFactory(location=location))
    latte = MenuItemFactory(location=location, modifier_groups=[size, syrups])
    create = {"location": location, "staff": cashier, "type": "TAKEAWAY"}
    # then each broken choice is refused with the field that is wrong
    error = refused("menu.modifier_selection", order_create, lines=[line(latte, modifiers=[vanilla])], **create)
    assert list(error.fields) == ["items.0.modifier_ids"]
    refused("menu.modifier_selection", order_create, lines=[line(latte, modifiers=[small, large])], **create)
    too_many = [small, vanilla, caramel, ModifierFactory(group=syrups)]
    refused("menu.modifier_selection", order_create, lines=[line(latte, modifiers=too_many)], **create)
    refused("menu.modifier_sold_out", order_create, lines=[line(latte, modifiers=[small, hazelnut])], **create)
    refused("menu.modifier_not_allowed", order_create, lines=[line(latte, modifiers=[small, foreign])], **create)
    # and a valid choice is taken
    order = order_create(lines=[line(latte, modifiers=[large, vanilla, caramel])], **create)
    assert order.lines.get().modifiers.count() == 3


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([{"menu_item_id": "one", "quantity": 1}], "items.0.menu_item_id"),
        ([{"menu_item_id": 1, "quantity": 0}], "items.0.quantity"),
        ([{"menu_item_id": 1, "quantity": True}], "items.0.quantity"),
        ([{"menu_item_id": 1, "quantity": MAX_QUANTITY + 1}], "items.0.quantity"),
        ([{"menu_item_id": 1, "quantity": 1, "note": "x" * 201}], "items.0.note"),
        (["not an object"], "items.0.non_field_errors"),
    ],
)
def test_a_malformed_cart_is_refused_at_the_edge_with_the_field_at_fault(lines, field):
    request = QuoteRequestSerializer(data={"type": "TAKEAWAY", "items": lines})
    assert not request.is_valid()
    assert list(flatten_fields(request.errors)) == [field]


@pytest.mark.parametrize(
    ("lines", "field"),
    [([], "items"), ([CartItem(menu_item_id=1, quantity=1, modifier_ids=(2, 2))], "items.0.modifier_ids")],
)
def test_a_cart_without_items_or_with_a_modifier_chosen_twice_is_refused(location, cashier, lines, field):
    error = refused("order.invalid_items", order_create, location=location, staff=cashier, type="TAKEAWAY", lines=lines)
    assert list(error.fields) == [field]


def test_the_order_type_needs_what_it_needs(location, cashier):
    item = MenuItemFactory(location=location)
    create = {"location": location, "staff": cashier, "lines": [line(item)]}
    refused("order.table_required", order_create, type=OrderType.DINE_IN, **create)
    refused("order.invalid_table", order_create, type=OrderType.DINE_IN, table=TableFactory(), **create)
    refused(
        "order.invalid_table", order_create, type=OrderType.TAKEAWAY, table=TableFactory(location=location), **create
    )
    error = refused(
        "order.invalid_customer", order_create, type=OrderType.DELIVERY, customer=CustomerDetails(name="Ana"), **create
    )
    assert "customer.phone" in error.fields
    delivery = order_create(
        type=OrderType.DELIVERY, customer=CustomerDetails(name="Ana", phone="+33 1", address="1 rue X"), **create
    )
    assert delivery.customer_address == "1 rue X"


def test_an_external_id_is_unique_per_source_and_location(location):
    item = MenuItemFactory(location=location)
    create = {"location": location, "staff": None, "type": "TAKEAWAY", "lines": [line(item)], "external_id": "A-1"}
    order_create(source="Deliveroo", **create)
    refused("order.duplicate_external_id", order_create, source="Deliveroo", **create)
    assert order_create(source="UberEats", **create).external_id == "A-1"


def test_numbers_count_up_per_business_day_and_location(location, cashier):
    first, second = OrderFactory(location=location), OrderFactory(location=location)
    elsewhere = OrderFactory()
    assert [first.number, second.number, elsewhere.number] == [1, 2, 1]
    # an order of the next business day starts again at #0001
    Order.objects.filter(pk__in=[first.pk, second.pk]).update(business_day=first.business_day - datetime.timedelta(1))
    assert OrderFactory(location=location).display_number == "#0001"


def test_a_void_keeps_the_line_marks_it_on_its_ticket_and_reprices(location, cashier):
    soup = MenuItemFactory(location=location, price=Decimal("6.00"))
    bread = MenuItemFactory(location=location, price=Decimal("2.00"))
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(soup), line(bread)])
    bread_line = order.lines.get(name=bread.name)
    refused("validation.required", order_line_void, order=order, line=bread_line, staff=cashier, reason=" ", version=1)
    order = order_line_void(order=order, line=bread_line, staff=cashier, reason="guest changed mind", version=1)
    bread_line.refresh_from_db()
    assert (bread_line.voided, bread_line.void_reason, bread_line.voided_by) == (True, "guest changed mind", cashier)
    assert bread_line.ticket.lines.filter(voided=True).count() == 1
    assert order.total == Decimal("6.00")
    refused(
        "order.line_already_voided", order_line_void, order=order, line=bread_line, staff=cashier, reason="x", version=2
    )


def test_a_void_that_would_leave_less_than_was_paid_is_refused(location, cashier):
    order = OrderFactory(location=location, staff=cashier, lines=[line(MenuItemFactory(location=location))])
    payment_add(order=order, staff=cashier, tender="CARD", amount=Decimal("1.00"))
    order = Order.objects.select_related("location").get(pk=order.pk)
    refused(
        "order.refund_first", order_line_void, order=order, line=order.lines.get(), staff=cashier, reason="x", version=2
    )


def test_a_discount_above_the_threshold_needs_a_manager(location, cashier, manager):
    # given a 10.00 order and a 10 % approval threshold
    item = MenuItemFactory(location=location, price=Decimal("10.00"))
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)])
    # when a cashier gives 1.00 (10 %) it is taken; 1.01 needs approval
    order = order_discount_set(order=order, staff=cashier, amount=Decimal("1.00"), reason="regular", version=1)
    assert (order.discount_total, order.total, order.discount_approved_by) == (Decimal("1.00"), Decimal("9.00"), None)
    discount = {"order": order, "staff": cashier, "reason": "birthday", "version": 2}
    refused("discount.approval_required", order_discount_set, percent=Decimal("20"), **discount)
    refused("discount.approval_required", order_discount_set, percent=Decimal("20"), approved_by=cashier, **discount)
    order = order_discount_set(percent=Decimal("20"), approved_by=manager, **discount)
    assert (order.discount_total, order.discount_approved_by) == (Decimal("2.00"), manager)
    # and a manager approves their own
    order = order_discount_set(order=order, staff=manager, amount=Decimal("5.00"), reason="staff meal", version=3)
    assert order.discount_approved_by == manager
    refused(
        "discount.exceeds_subtotal",
        order_discount_set,
        order=order,
        staff=manager,
        amount=Decimal("11"),
        reason="x",
        version=4,
    )


def test_a_free_order_is_numbered_paid_and_given_a_receipt_number_as_it_is_taken(location, manager):
    # given an earlier order today (numbered and paid in the same way)
    item = MenuItemFactory(location=location, price=Decimal("4.00"))
    order_create(location=location, staff=manager, type="TAKEAWAY", lines=[line(item)])
    # when a manager takes an order with a 100 % discount
    free = order_create(
        location=location,
        staff=manager,
        type="TAKEAWAY",
        lines=[line(item)],
        discount={"percent": Decimal("100"), "reason": "staff meal"},
    )
    # then it is the day's second order, paid at once, with the location's first receipt number, as stored
    assert (free.number, free.total, free.payment_status, free.receipt_number) == (2, Decimal("0.00"), "PAID", 1)
    stored = Order.objects.get(pk=free.pk)
    assert (stored.number, stored.payment_status, stored.receipt_number) == (2, "PAID", 1)


def test_a_quote_prices_a_cart_like_an_order_and_saves_nothing(location, cashier):
    items = [MenuItemFactory(location=location, price=Decimal("3.35")), MenuItemFactory(location=location)]
    cart = [line(items[0], 3), line(items[1])]
    discount = {"percent": Decimal("10"), "reason": "happy hour"}
    quote = order_quote(location=location, type="TAKEAWAY", lines=cart, discount=discount, tip=Decimal("1.00"))
    assert not Order.objects.exists() and not Event.objects.exists()
    order = order_create(
        location=location, staff=cashier, type="TAKEAWAY", lines=cart, discount=discount, tip=Decimal("1.00")
    )
    totals = quote.totals
    assert (totals.subtotal, totals.discount_total, totals.tax_total, totals.tip_total, totals.total) == (
        order.subtotal,
        order.discount_total,
        order.tax_total,
        order.tip_total,
        order.total,
    )


@pytest.mark.parametrize("count", [1, 10])
def test_order_creation_takes_a_bounded_number_of_queries(location, cashier, count, django_assert_max_num_queries):
    group = ModifierGroupFactory(location=location, max_selections=2)
    modifiers = [ModifierFactory(group=group), ModifierFactory(group=group)]
    stations = [Station.KITCHEN, Station.BAR, Station.NONE]
    items = [MenuItemFactory(location=location, station=stations[i % 3], modifier_groups=[group]) for i in range(count)]
    lines = [line(item, 2, modifiers, note="n") for item in items]
    menu_for_location(location)  # the menu is read from its cache
    with transaction.atomic():
        location_lock(location.pk)  # the location's lock row exists after its first order
    # the role, the lock and the number, 5 inserts whatever the lines, 2 for all the events (the order's and one
    # per ticket), the savepoint: nothing is read back
    with django_assert_max_num_queries(12):
        order_create(location=location, staff=cashier, type="TAKEAWAY", lines=lines)


def _event_data(location) -> list[tuple[str, dict]]:
    return [(e.type, e.data) for e in Event.objects.filter(location_id=location.pk).order_by("seq")]


def test_a_new_orders_events_carry_it_and_its_tickets_as_they_read_back(location, cashier):
    # given a cart for the bar (with two modifiers and a note) and the kitchen
    group = ModifierGroupFactory(location=location, max_selections=2)
    modifiers = [ModifierFactory(group=group), ModifierFactory(group=group, price_delta=Decimal("0.35"))]
    coffee = MenuItemFactory(location=location, station=Station.BAR, modifier_groups=[group])
    toast = MenuItemFactory(location=location, station=Station.KITCHEN, tax_rate=Decimal("7"))
    # when it is ordered (the service writes its events from what it wrote, reading nothing back)
    order = order_create(
        location=location,
        staff=cashier,
        type="TAKEAWAY",
        lines=[line(coffee, 2, modifiers, note="hot"), line(toast)],
        tip=Decimal("1.10"),
    )
    # then the order and each ticket are in their events exactly as a read shows them
    stored = orders_for(cashier, location=location).get(pk=order.pk)
    tickets = [*open_tickets(location, Station.BAR), *open_tickets(location, Station.KITCHEN)]
    assert _event_data(location) == [
        ("order.created", {"order": order_representation(stored)}),
        *[("ticket.created", {"ticket": ticket_representation(ticket)}) for ticket in tickets],
    ]
    assert order_representation(order) == order_representation(stored)


def test_a_free_order_with_nothing_to_make_is_ready_and_paid_at_once(location, cashier):
    water = MenuItemFactory(location=location, station=Station.NONE, price=Decimal("0"))

    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(water)])

    stored = orders_for(cashier, location=location).get(pk=order.pk)
    shown = order_representation(stored)
    assert (shown["status"], shown["payment_status"], shown["receipt_number"]) == ("READY", "PAID", 1)
    assert _event_data(location) == [
        ("order.created", {"order": shown}),
        ("order.status_changed", {"order": shown, "from": "PENDING", "to": "READY"}),
    ]
    assert order_representation(order) == shown


def test_each_change_writes_its_events_in_order(location, cashier, cook):
    food = MenuItemFactory(location=location, station=Station.KITCHEN)
    order = order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(food)])
    assert events_of(location) == ["order.created", "ticket.created"]
    order = order_lines_add(order=order, staff=cashier, lines=[line(food)], version=1)
    assert events_of(location)[2:] == ["order.updated", "order.status_changed", "ticket.created"]
    created = Event.objects.get(location_id=location.pk, seq=1)
    assert created.data["order"]["id"] == order.pk and created.data["order"]["version"] == 1
    seqs = list(Event.objects.filter(location_id=location.pk).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_rolled_back_change_leaves_no_event_and_no_order(location, cashier):
    item = MenuItemFactory(location=location)
    with pytest.raises(RuntimeError), transaction.atomic():
        order_create(location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)])
        raise RuntimeError("the request failed after the service ran")
    assert not Event.objects.exists() and not Order.objects.exists()


def test_a_refused_change_writes_no_event(location, cashier):
    order = OrderFactory(location=location, staff=cashier)
    before = Event.objects.count()
    refused(
        "order.version_conflict",
        order_discount_set,
        order=order,
        staff=cashier,
        amount=Decimal("0.10"),
        reason="x",
        version=7,
    )
    assert Event.objects.count() == before


def test_erasing_the_customer_keeps_the_money(location, cashier):
    item = MenuItemFactory(location=location, price=Decimal("4.00"))
    customer = CustomerDetails(name="Ana", phone="+33 6", email="ana@example.com", address="1 rue X")
    order = order_create(location=location, staff=cashier, type="DELIVERY", lines=[line(item)], customer=customer)
    payment_add(order=order, staff=cashier, tender="CARD", amount=Decimal("4.00"))
    before = Order.objects.values("subtotal", "tax_total", "total", "paid_total", "payment_status").get(pk=order.pk)
    erased = order_customer_erase(order=Order.objects.select_related("location").get(pk=order.pk))
    assert (erased.customer_name, erased.customer_phone, erased.customer_email, erased.customer_address) == (None,) * 4
    assert erased.customer_erased_at is not None
    after = Order.objects.values("subtotal", "tax_total", "total", "paid_total", "payment_status").get(pk=order.pk)
    assert after == before
    assert erased.lines.get().unit_price == Decimal("4.000")


def test_customer_details_expire_with_the_organizations_retention(cashier, location):
    location.organization.customer_data_retention_days = 30
    location.organization.save()
    item = MenuItemFactory(location=location)
    old, recent = (
        order_create(
            location=location, staff=cashier, type="TAKEAWAY", lines=[line(item)], customer=CustomerDetails(name=name)
        )
        for name in ("Old", "Recent")
    )
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert customers_erase_expired() == 1
    assert Order.objects.get(pk=old.pk).customer_name is None
    assert Order.objects.get(pk=recent.pk).customer_name == "Recent"
    assert customers_erase_expired() == 0


def test_an_integrators_order_records_no_staff(location):
    order = OrderFactory(location=location, staff=None, source="Deliveroo")
    assert order.staff is None and order.source == "Deliveroo"


def test_a_kitchen_member_cannot_discount(location):
    order = OrderFactory(location=location)
    cook = staff(location, Role.KITCHEN)
    refused(
        "permission.denied", order_discount_set, order=order, staff=cook, amount=Decimal("1"), reason="x", version=1
    )
