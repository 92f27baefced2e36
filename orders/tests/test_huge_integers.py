"""A location id past Python's int() limit (4,300 digits) on the quote is a 400."""

import json

import pytest

from accounts.models import Role
from accounts.tests.api import api_as
from accounts.tests.factories import LocationFactory, MembershipFactory, staff
from menu.tests.factories import MenuItemFactory

HUGE = "9" * 5000


@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", 10**19, "x"])
def test_a_hostile_location_id_on_the_quote_is_a_400(db, value):
    location, other = LocationFactory(), LocationFactory()
    owner = staff(location, Role.OWNER)
    MembershipFactory(user=owner, location=other, role=Role.OWNER)
    item = MenuItemFactory(location=location)
    client = api_as(owner)
    literal = value if isinstance(value, str) and value.lstrip("-").isdigit() else json.dumps(value)
    items = f'[{{"menu_item_id": {item.pk}, "quantity": 1}}]'
    body = f'{{"type": "TAKEAWAY", "location_id": {literal}, "items": {items}}}'

    response = client.post("/api/v1/orders/quote/", body, content_type="application/json")

    assert response.status_code == 400, response.content[:300]
