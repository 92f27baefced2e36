import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from menu.tests.factories import ModifierFactory, ModifierGroupFactory


@pytest.fixture
def location(db):
    return LocationFactory(name="Central")


@pytest.fixture
def other_location(location):
    """A second location of the same organization."""
    return LocationFactory(name="Harbour", organization=location.organization)


@pytest.fixture
def manager(location):
    return staff(location, Role.MANAGER, full_name="Max Manager")


@pytest.fixture
def owner(location):
    """Owner of the organization: every location of it."""
    return staff(location, Role.OWNER, full_name="Olivia Owner")


@pytest.fixture
def milk(location):
    """An optional "Milk" group with two modifiers."""
    group = ModifierGroupFactory(location=location, name="Milk")
    ModifierFactory(group=group, name="Whole milk")
    ModifierFactory(group=group, name="Oat milk")
    return group
