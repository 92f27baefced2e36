"""Fixtures for the orders tests: a location (EUR, prices including tax), its staff by role and the test card
gateway."""

import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, TerminalFactory, staff
from orders.tests.gateway import FakeGateway


@pytest.fixture
def location(db):
    return LocationFactory(currency="EUR", tax_mode="INCLUSIVE")


@pytest.fixture
def cashier(location):
    return staff(location, Role.CASHIER)


@pytest.fixture
def manager(location):
    return staff(location, Role.MANAGER)


@pytest.fixture
def owner(location):
    return staff(location, Role.OWNER)


@pytest.fixture
def cook(location):
    return staff(location, Role.KITCHEN)


@pytest.fixture
def terminal(location):
    return TerminalFactory(location=location)


@pytest.fixture
def gateway(settings):
    """The test card gateway (`orders.tests.gateway.FakeGateway`) in place of the recorded terminal, emptied."""
    settings.PAYMENT_GATEWAY = "orders.tests.gateway.FakeGateway"
    FakeGateway.reset()
    yield FakeGateway
    FakeGateway.reset()
