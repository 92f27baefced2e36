"""Bad input is refused cleanly: any malformed socket message gets an error and the socket stays usable (a
hypothesis fuzz), session-authenticated writes need the CSRF token, and error bodies never carry a secret,
PIN, token or card number back (logs and Sentry: cafepos/tests/test_ops_logging.py, test_ops_sentry.py)."""

import json

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.api.tokens import token_pair
from accounts.models import Role
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from cafepos.tests.sockets import conversation
from menu.tests.factories import MenuItemFactory
from orders.tests.factories import OrderFactory, line
from pos.tests.pos import PIN
from realtime.services import TICKET_ACTIONS

# -- the socket message handler ---------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
TYPES = st.sampled_from([*TICKET_ACTIONS, "auth", "ping", "pong", "", "ticket", "x" * 300]) | st.text(max_size=30)
MESSAGES = st.fixed_dictionaries(
    {"type": TYPES | JSON},
    optional={"ticket_id": st.integers() | JSON, "request_id": st.text(max_size=120) | JSON, "token": JSON},
)
FRAMES = st.one_of(
    st.text(max_size=60),  # mostly not JSON at all
    JSON.map(json.dumps),  # JSON, but not an object
    MESSAGES.map(json.dumps),  # objects: unknown types, bad fields, actions on tickets that do not exist
    st.binary(max_size=60),
)


def expected_reply(frame) -> str | None:
    """`pong` for a ping, nothing for a pong, an `error` for everything else the fuzz makes."""
    try:
        message = json.loads(frame) if isinstance(frame, str) else None
    except ValueError:
        message = None
    kind = message.get("type") if isinstance(message, dict) else None
    return {"pong": None, "ping": "pong"}.get(kind, "error") if isinstance(kind, str) else "error"


@pytest.fixture
def kitchen_cookies(transactional_db):
    from testing.cafes import make_cafe

    cafe = make_cafe()
    return cafe.cookies(cafe.cook)


@given(frames=st.lists(FRAMES, min_size=1, max_size=4))
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_malformed_socket_message_gets_an_error_and_the_socket_stays_usable(kitchen_cookies, frames):
    async def converse():
        async with conversation("/ws/v1/kitchen/?station=KITCHEN", cookies=kitchen_cookies) as client:
            await talk(client)

    async def talk(client):
        accepted, _ = await client.connect(timeout=5)
        assert accepted
        assert (await client.receive_json_from(5))["type"] == "auth.ok"
        for frame in frames:
            kind = "bytes" if isinstance(frame, bytes) else "text"
            await client.send_input({"type": "websocket.receive", kind: frame})  # empty frames too
            await client.send_json_to({"type": "ping"})  # still usable: answered after the frame's reply
            expected = expected_reply(frame)
            replies = [await client.receive_json_from(5) for _ in range(1 if expected else 0)]
            assert [reply["type"] for reply in replies] == ([expected] if expected else []), (frame, replies)
            if expected == "error":
                assert isinstance(replies[0]["code"], str) and replies[0]["message"]
            assert (await client.receive_json_from(5))["type"] == "pong"

    async_to_sync(converse)()


# -- CSRF on session writes -------------------------------------------------------------------------------------


@pytest.fixture
def cafe(db):
    location = LocationFactory()
    item = MenuItemFactory(location=location)
    return location, item


def test_a_back_office_session_cannot_write_through_the_api_without_the_csrf_token(cafe):
    location, item = cafe
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff(location, Role.MANAGER))
    body = json.dumps({"type": "TAKEAWAY", "items": [{"menu_item_id": item.pk}]})

    refused = client.post("/api/v1/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a")
    client.get("/admin/")  # a page that hands out the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(
        "/api/v1/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b", HTTP_X_CSRFTOKEN=token
    )

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert accepted.status_code == 201


def test_a_terminal_pin_session_cannot_write_through_the_api_without_the_csrf_token(cafe):
    location, item = cafe
    terminal, secret = paired_terminal(location=location)
    cashier = staff(location, Role.CASHIER, pin=PIN)
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.TERMINAL_COOKIE_NAME] = secret
    client.get("/terminal/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert (
        client.post("/terminal/login/", {"staff": cashier.pk, "pin": PIN, "csrfmiddlewaretoken": token}).status_code
        == 302
    )
    body = json.dumps({"type": "TAKEAWAY", "items": [{"menu_item_id": item.pk}]})

    refused = client.post("/api/v1/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a")

    assert refused.status_code == 403


@pytest.mark.parametrize(
    "path", ["/terminal/login/", "/terminal/pair/", "/admin/login/", "/backoffice/reports/exports/"]
)
def test_page_forms_refuse_a_post_without_the_csrf_token(cafe, path):
    location, _ = cafe
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff(location, Role.OWNER))

    assert client.post(path, {"anything": "1"}).status_code == 403


# -- no secret in an error body ---------------------------------------------------------------------------------

PAN = "4111111111111111"  # a test card number (Luhn-valid)
PASSWORD = "Correct-Horse-93!"
SECRET_PIN = "918273"


def test_error_bodies_never_carry_back_a_secret_pin_token_or_card_number(cafe):
    location, item = cafe
    manager = staff(location, Role.MANAGER, pin="1357")
    terminal, terminal_secret = paired_terminal(location=location)
    order = OrderFactory(location=location, staff=manager, lines=[line(item)])
    fake_token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiMSJ9.c2lnbmF0dXJlLW5vdC12YWxpZA"
    anonymous, bearer, key_client, signed_in = APIClient(), APIClient(), APIClient(), APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {fake_token}")
    key_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {terminal_secret}")
    signed_in.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair(user=manager)['access']}")
    payment = f"/api/v1/orders/{order.pk}/payments/"
    answers = [
        anonymous.post("/api/v1/auth/token/", {"email": manager.email, "password": PASSWORD}, format="json"),
        anonymous.post(
            "/api/v1/auth/pin/",
            {"terminal_secret": terminal_secret, "staff_id": manager.pk, "pin": SECRET_PIN},
            format="json",
        ),
        anonymous.post(
            "/api/v1/auth/pin/", {"terminal_secret": terminal_secret + "x", "staff_id": manager.pk, "pin": "1357"}
        ),
        anonymous.post("/api/v1/auth/token/refresh/", {"refresh": fake_token}, format="json"),
        bearer.get("/api/v1/me/"),
        key_client.get("/api/v1/menu/"),
        signed_in.post(payment, {"tender": PAN, "amount": 100}, format="json", HTTP_IDEMPOTENCY_KEY="1"),
        signed_in.post(payment, {"tender": "CARD", "amount": PAN}, format="json", HTTP_IDEMPOTENCY_KEY="2"),
        signed_in.post(
            payment, {"tender": "CARD", "amount": 100, "card_last4": PAN}, format="json", HTTP_IDEMPOTENCY_KEY="3"
        ),
        signed_in.post(
            payment,
            {"tender": "CARD", "amount": 100, "reference": f"card {PAN}", "check_number": PAN},
            format="json",
            HTTP_IDEMPOTENCY_KEY="4",
        ),
        signed_in.post(
            f"/api/v1/orders/{order.pk}/discounts/",
            {"percent": "50", "version": order.version, "approval": {"manager_id": manager.pk, "pin": SECRET_PIN}},
            format="json",
            HTTP_IDEMPOTENCY_KEY="5",
        ),
    ]

    for answer in answers:
        assert answer.status_code >= 400, answer.content[:300]
        text = answer.content.decode()
        assert set(json.loads(text)) == {"error"}
        for secret in (PASSWORD, SECRET_PIN, terminal_secret, fake_token, PAN):
            assert secret not in text, (secret, text)
