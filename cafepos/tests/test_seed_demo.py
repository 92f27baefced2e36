"""`manage.py seed_demo` may run on every `make serve`: a second run changes nothing and the logins work."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.demo import DEMO_RECEIPT_DETAILS, DEMO_STAFF
from accounts.models import Location, Role, User
from accounts.services import pin_login, terminal_pair

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
