"""The one scoping rule: owners see their organization's locations, everyone else only their own."""

import pytest

from accounts.models import Location, Role, Terminal, User
from accounts.selectors import locations_for, locations_where, role_at, scope_to_user
from accounts.tests.factories import LocationFactory, MembershipFactory, TerminalFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_locations():
    location_a = LocationFactory(name="A")
    location_b = LocationFactory(name="B", organization=location_a.organization)
    return location_a, location_b


def test_manager_of_one_location_sees_nothing_of_another(two_locations):
    location_a, location_b = two_locations
    manager_a = staff(location_a, Role.MANAGER)
    TerminalFactory(location=location_a, name="Till A")
    TerminalFactory(location=location_b, name="Till B")

    visible_locations = list(locations_for(manager_a))
    visible_terminals = list(scope_to_user(Terminal.objects.all(), manager_a).values_list("name", flat=True))

    assert visible_locations == [location_a]
    assert visible_terminals == ["Till A"]
    assert role_at(manager_a, location_b) is None


def test_owner_sees_every_location_of_their_organization_and_none_of_another(two_locations):
    location_a, location_b = two_locations
    other_org_location = LocationFactory(name="Elsewhere")
    owner = staff(location_a, Role.OWNER)
    TerminalFactory(location=other_org_location)

    visible = set(locations_for(owner))

    assert visible == {location_a, location_b}
    assert role_at(owner, location_b) == Role.OWNER
    assert role_at(owner, other_org_location) is None
    assert not scope_to_user(Terminal.objects.all(), owner).exists()


def test_inactive_membership_grants_nothing(two_locations):
    location_a, _ = two_locations
    user = User.objects.create_user(email="gone@example.com")
    MembershipFactory(user=user, location=location_a, role=Role.MANAGER, is_active=False)

    assert not locations_for(user).exists()
    assert role_at(user, location_a) is None


def test_back_office_locations_exclude_those_where_the_user_is_only_a_cashier(two_locations):
    location_a, location_b = two_locations
    user = staff(location_a, Role.CASHIER)
    MembershipFactory(user=user, location=location_b, role=Role.MANAGER)

    assert set(locations_for(user)) == {location_a, location_b}
    assert list(locations_where(user)) == [location_b]


def test_scoping_through_a_to_many_path_lists_each_row_once(two_locations):
    location_a, location_b = two_locations
    owner = staff(location_a, Role.OWNER)
    worker = staff(location_a, Role.CASHIER)
    MembershipFactory(user=worker, location=location_b, role=Role.CASHIER)

    users = list(scope_to_user(User.objects.all(), owner, location_field="memberships__location"))

    assert sorted(u.pk for u in users) == sorted([owner.pk, worker.pk])


def test_locations_scoped_as_self(two_locations):
    location_a, _ = two_locations
    manager = staff(location_a, Role.MANAGER)

    assert list(scope_to_user(Location.objects.all(), manager, location_field="self")) == [location_a]


def test_anonymous_user_sees_nothing(two_locations):
    from django.contrib.auth.models import AnonymousUser

    assert not locations_for(AnonymousUser()).exists()
