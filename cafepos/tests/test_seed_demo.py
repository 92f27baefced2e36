"""`manage.py seed_demo` may run on every `make serve`: a second run changes nothing and the logins work."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client

from accounts.api.tokens import token_pair
from accounts.demo import DEMO_RECEIPT_DETAILS, DEMO_STAFF
from accounts.models import Location, Role, User
from accounts.services import pin_login, terminal_authenticate, terminal_pair, user_pin_set
from cafepos.outbox import Event
from menu.models import MenuItem
from menu.services import menu_item_back_in_stock, menu_item_update
from orders.models import OPEN_ORDER_STATUSES, Order, PaymentStatus, Ticket, TicketStatus
from orders.selectors import TableStatus, table_statuses
from orders.services import order_status_set

pytestmark = pytest.mark.django_db

SEEDED_APPS = ("accounts", "menu", "tables", "orders")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in SEEDED_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seeding_twice_changes_no_counts_and_every_demo_login_works():
    first_output = seed()
    after_first = row_counts()

    seed()

    assert row_counts() == after_first
    assert after_first["accounts.Location"] == 2
    for email, password, _name, _pin, _role in DEMO_STAFF:
        assert email in first_output and password in first_output
        assert authenticate(username=email, password=password) is not None, email
    terminal, _ = terminal_pair(email="manager@example.com", password="cafepos-manager", name="Demo till", kind="POS")
    for email, _password, _name, pin, _role in DEMO_STAFF:
        if pin:
            user = User.objects.get(email=email)
            assert pin_login(terminal=terminal, user_id=user.pk, pin=pin) == user


def test_demo_owner_owns_both_locations_and_only_owners_and_managers_enter_the_admin():
    seed()
    seed()

    owner = User.objects.get(email="owner@example.com")
    assert set(owner.memberships.values_list("role", flat=True)) == {Role.OWNER}
    assert owner.memberships.count() == 2
    staff_flags = dict(User.objects.filter(email__in=[s[0] for s in DEMO_STAFF]).values_list("email", "is_staff"))
    assert staff_flags == {
        "owner@example.com": True,
        "manager@example.com": True,
        "cashier@example.com": False,
        "kitchen@example.com": False,
    }


def test_the_demo_locations_name_their_seller_on_receipts_and_an_owners_own_details_are_kept():
    seed()
    central = Location.objects.get(name="Demo Cafe Central")
    assert all([central.legal_name, central.address, central.tax_number, central.receipt_footer])
    Location.objects.filter(pk=central.pk).update(legal_name="My Own SARL", receipt_footer="")

    seed()

    central.refresh_from_db()
    assert central.legal_name == "My Own SARL"  # typed by the owner: kept
    assert central.receipt_footer == DEMO_RECEIPT_DETAILS["Demo Cafe Central"]["receipt_footer"]  # blank: filled


def test_seeding_again_keeps_the_owners_changes_and_everyones_sessions_and_tokens():
    seed()
    manager = User.objects.get(email="manager@example.com")
    manager.set_password("owner-chose-this-one")
    manager.save(update_fields=["password"])
    user_pin_set(user=manager, pin="9876")
    espresso = MenuItem.objects.get(location__name="Demo Cafe Central", sku="COF-01")
    menu_item_update(item=espresso, data={"price": Decimal("2.40")})
    terminal, secret = terminal_pair(
        email="manager@example.com", password="owner-chose-this-one", name="Till 1", kind="POS"
    )
    back_office = Client()
    back_office.force_login(manager)
    access = token_pair(user=manager)["access"]

    seed()

    manager.refresh_from_db()
    assert manager.check_password("owner-chose-this-one") and not manager.check_password("cafepos-manager")
    assert pin_login(terminal=terminal_authenticate(secret), user_id=manager.pk, pin="9876") == manager
    espresso.refresh_from_db()
    assert espresso.price == Decimal("2.40")
    assert back_office.get("/admin/").status_code == 200
    api = Client(headers={"authorization": f"Bearer {access}"})
    assert api.get("/api/v1/menu/").status_code == 200


def test_a_fresh_demo_has_a_day_in_progress_and_weeks_of_paid_sales():
    seed()

    central = Location.objects.get(name="Demo Cafe Central")
    statuses = {row["label"]: row["status"] for row in table_statuses(central)}
    assert statuses["3"] == statuses["7"] == statuses["5"] == TableStatus.OCCUPIED
    assert statuses["T2"] == TableStatus.NEEDS_ATTENTION
    assert list(statuses.values()).count(TableStatus.FREE) == len(statuses) - 4
    waiting = Ticket.objects.filter(order__location=central, status__in=[TicketStatus.NEW, TicketStatus.IN_PROGRESS])
    assert {ticket.station for ticket in waiting} == {"KITCHEN", "BAR"}
    assert Event.objects.filter(location_id=central.pk, type="ticket.created").count() >= waiting.count()
    assert list(MenuItem.objects.filter(location=central, is_sold_out=True).values_list("sku", flat=True)) == ["PAS-03"]
    today = central.business_day()
    paid_days = set(
        Order.objects.filter(location=central, payment_status=PaymentStatus.PAID, business_day__lt=today)
        .values_list("business_day", flat=True)
        .distinct()
    )
    assert today - datetime.timedelta(days=1) in paid_days and len(paid_days) >= 14


def test_seeding_again_leaves_a_cleared_floor_and_a_restocked_item_as_the_staff_left_them():
    seed()
    central = Location.objects.get(name="Demo Cafe Central")
    owner = User.objects.get(email="owner@example.com")
    for order in Order.objects.filter(location=central, status="PENDING").select_related("location"):
        order_status_set(order=order, staff=owner, status="CANCELLED", version=order.version)
    croissant = MenuItem.objects.get(location=central, sku="PAS-03")
    menu_item_back_in_stock(item=croissant, by=None)
    open_after = Order.objects.filter(location=central, status__in=OPEN_ORDER_STATUSES).count()

    seed()

    assert Order.objects.filter(location=central, status__in=OPEN_ORDER_STATUSES).count() == open_after
    croissant.refresh_from_db()
    assert not croissant.is_sold_out
