"""Factories for webhook endpoints and deliveries, and a sale to trigger events."""

import factory

from accounts.models import Role
from accounts.tests.factories import LocationFactory, staff
from cafepos.models import Event
from delivery.models import WebhookDelivery, WebhookEndpoint
from menu.models import Station
from menu.tests.factories import MenuItemFactory
from orders.tests.factories import OrderFactory, line


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    location = factory.SubFactory(LocationFactory)
    url = "http://127.0.0.1:9/hooks"
    event_types = factory.LazyFunction(lambda: ["order.created"])


def sale(location, *, customer: dict | None = None, station: str = Station.KITCHEN):
    """An order of one item (for `station`) taken by a fresh cashier: emits order.created and more."""
    item = MenuItemFactory(location=location, station=station)
    return OrderFactory(location=location, staff=staff(location, Role.CASHIER), lines=[line(item)], customer=customer)


def due_delivery(endpoint, **fields):
    """A delivery row of the location's first order.created event, due now unless `fields` say otherwise."""
    event = Event.objects.filter(location_id=endpoint.location_id, type="order.created").first()
    fields = {"event_id": f"evt_{event.location_id}_{event.seq}", "body": "{}", **fields}
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event_type=event.type, location_id=event.location_id, **fields
    )
