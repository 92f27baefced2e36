import pytest
from django.conf import settings

from accounts.models import Role
from accounts.tests.factories import LocationFactory, paired_terminal, staff


@pytest.fixture
def location(db):
    return LocationFactory(name="Central")


@pytest.fixture
def manager(location):
    return staff(location, Role.MANAGER, full_name="Max Manager", email="max@example.com", pin="1111")


@pytest.fixture
def cashier(location):
    return staff(location, Role.CASHIER, full_name="Cleo Cashier", email="cleo@example.com", pin="2222")


def use_terminal(client, secret: str):
    """Make the test client's browser hold a terminal's device cookie."""
    client.cookies[settings.TERMINAL_COOKIE_NAME] = secret
    return client


@pytest.fixture
def pos(location, client):
    """A paired POS terminal at `location`, and the client as its browser."""
    terminal, secret = paired_terminal(location=location)
    use_terminal(client, secret)
    return terminal
