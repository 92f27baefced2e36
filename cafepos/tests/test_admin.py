import pytest

from accounts.models import Role
from accounts.tests.factories import LocationFactory, UserFactory, staff
from cafepos.tests.factories import EventFactory, IdempotencyKeyFactory

pytestmark = pytest.mark.django_db

EVENTS = "/admin/cafepos/event/"
KEYS = "/admin/cafepos/idempotencykey/"


def test_a_superuser_sees_events_and_keys_read_only(client):
    event = EventFactory()
    key = IdempotencyKeyFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(EVENTS).status_code == 200
    assert client.get(KEYS).status_code == 200
    detail = client.get(f"{EVENTS}{event.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content  # shown, not editable
    assert client.get(f"{EVENTS}add/").status_code == 403
    assert client.post(f"{KEYS}{key.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_owner_sees_only_events_of_their_locations_and_no_keys(client):
    mine, theirs = LocationFactory(), LocationFactory()
    my_event = EventFactory(location_id=mine.pk, type="order.created")
    their_event = EventFactory(location_id=theirs.pk, type="order.paid")
    IdempotencyKeyFactory()
    client.force_login(staff(mine, Role.OWNER))

    listing = client.get(EVENTS)

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [my_event]
    assert client.get(f"{EVENTS}{their_event.pk}/change/").status_code in (302, 403)
    assert client.get(KEYS).status_code == 403


def test_a_manager_cannot_see_events(client):
    location = LocationFactory()
    EventFactory(location_id=location.pk)
    client.force_login(staff(location, Role.MANAGER))

    assert client.get(EVENTS).status_code == 403
