"""Structured logs: a request id from the edge to every line (and into Celery tasks), who and where, and
never a PIN, password, token or card number. Requests go through the real middleware and the console
handler configured exactly as production configures it (JSON)."""

import io
import json
import logging
import logging.config
import re
import time
import uuid

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings

from accounts.models import Role
from accounts.tests.factories import LocationFactory, paired_terminal, staff
from cafepos.celery import app as celery_app
from cafepos.observability import context
from cafepos.observability.logs import logging_config
from cafepos.observability.redaction import REDACTED, redact


@pytest.fixture
def log_lines():
    """Reads what the production console handler printed, one parsed JSON object per line."""
    buffer = io.StringIO()
    logging.config.dictConfig(logging_config(level="DEBUG", fmt="json"))
    next(handler for handler in logging.getLogger().handlers if handler.name == "console").setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    logging.config.dictConfig(django_settings.LOGGING)


def access_lines(lines):
    return [line for line in lines if line["logger"] == "cafepos.access"]


def test_the_callers_request_id_is_returned_and_stamped_on_the_access_line(client, log_lines):
    response = client.get("/health", HTTP_X_REQUEST_ID="till-7.2f9c")

    assert response["X-Request-ID"] == "till-7.2f9c"
    [line] = access_lines(log_lines())
    assert line["request_id"] == "till-7.2f9c"
    assert (line["method"], line["route"], line["status"]) == ("GET", "/health", 200)
    assert line["level"] == "DEBUG"  # probes are not worth an INFO line every few seconds


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 200, "<script>"])
def test_a_missing_or_unusable_request_id_is_replaced_by_a_fresh_one(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}

    first = client.get("/health", **headers)["X-Request-ID"]
    second = client.get("/health", **headers)["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
def test_log_lines_name_the_signed_in_user_and_the_terminals_location(client, log_lines):
    terminal, secret = paired_terminal()
    manager = staff(terminal.location, Role.MANAGER)
    client.force_login(manager)
    client.cookies[django_settings.TERMINAL_COOKIE_NAME] = secret

    client.get("/terminal/login/")
    client.get("/admin/")

    by_path = {line["path"]: line for line in access_lines(log_lines())}
    assert by_path["/terminal/login/"]["location_id"] == terminal.location_id
    assert by_path["/terminal/login/"]["route"] == "/terminal/login/"
    assert by_path["/admin/"]["user_id"] == manager.pk


@pytest.mark.django_db
def test_an_anonymous_request_logs_no_user(client, log_lines):
    client.get("/terminal/login/")

    [line] = access_lines(log_lines())
    assert "user_id" not in line
    assert line["level"] == "INFO"


@pytest.mark.django_db
def test_pins_passwords_tokens_and_card_numbers_never_reach_the_log_output(client, settings, log_lines):
    settings.METRICS_TOKEN = "scrape-token-for-prometheus"
    location = LocationFactory()
    terminal, device_secret = paired_terminal(location=location)
    cashier = staff(location, Role.CASHIER, pin="4321")
    secrets = {
        "pin": "918273",
        "password": "correct-horse-battery",
        "bearer": "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig",
        "query_token": "qt-5550123",
        "api_key": "ck_live_7f3a9b2c",
        "card": "4111 1111 1111 1111",
        "metrics": "wrong-metrics-token",
    }
    client.cookies[django_settings.TERMINAL_COOKIE_NAME] = device_secret
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secrets['bearer']}"}

    # a failed PIN login on the terminal page, with a bearer token and a token in the query string
    client.post(
        f"/terminal/login/?token={secrets['query_token']}", {"staff": cashier.pk, "pin": secrets["pin"]}, **auth
    )
    # the API's password and PIN logins, refused
    client.post(
        "/api/v1/auth/token/",
        {"email": cashier.email, "password": secrets["password"]},
        content_type="application/json",
        **auth,
    )
    client.post(
        f"/api/v1/auth/pin/?card={secrets['card']}",
        {"staff": cashier.pk, "pin": secrets["pin"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {secrets['api_key']}",
    )
    # 4xx lines from Django itself (it logs the request, query string included)
    client.get(f"/no-such-page/?password={secrets['password']}&api_key={secrets['api_key']}", **auth)
    client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {secrets['metrics']}")
    # application code that logs carelessly, and an exception whose message holds a PIN
    logger = logging.getLogger("cafepos.tests.careless")
    logger.warning("login pin=%s for card %s", secrets["pin"], secrets["card"], extra={"password": secrets["password"]})
    try:
        raise ValueError(f"PIN {secrets['pin']!r} rejected, Authorization: Bearer {secrets['bearer']}")
    except ValueError:
        logger.exception("refused", extra={"request_headers": {"Authorization": f"Api-Key {secrets['api_key']}"}})

    lines = log_lines()
    output = json.dumps(lines)
    assert len(access_lines(lines)) == 5
    assert any(line["logger"] == "django.request" for line in lines)
    assert REDACTED in output
    leaked = {name: value for name, value in secrets.items() if value in output or value.replace(" ", "") in output}
    assert leaked == {}


def test_redaction_reaches_nested_data_and_keeps_what_is_not_secret():
    event = {
        "request": {"headers": {"Authorization": "Bearer abc", "X-Api-Key": "k", "Accept": "text/html"}},
        "extra": [{"pin_hash": "pbkdf2$...", "shipping": "3", "location_id": 7}],
        "message": "order 12 paid with card 4242424242424242 at terminal Till-1",
    }

    assert redact(event) == {
        "request": {"headers": {"Authorization": REDACTED, "X-Api-Key": REDACTED, "Accept": "text/html"}},
        "extra": [{"pin_hash": REDACTED, "shipping": "3", "location_id": 7}],
        "message": f"order 12 paid with card {REDACTED} at terminal Till-1",
    }


def test_a_card_number_written_in_groups_after_the_word_card_is_redacted_whole():
    assert redact("Card 4111 1111 1111 1111 declined") == f"Card {REDACTED} declined"


SEEN_BY_TASKS = {}  # note -> the request id the task ran under (the worker thread shares this module)


@shared_task(name="cafepos.tests.ops.log_from_task")
def log_from_task(note: str) -> str | None:
    logging.getLogger("cafepos.tests.task").info("task ran: %s", note)
    SEEN_BY_TASKS[note] = context.current_request_id()
    return SEEN_BY_TASKS[note]


def test_a_task_run_from_a_request_logs_under_that_requests_id(log_lines):
    token = context.bind(request_id="req-from-view")
    try:
        seen = log_from_task.apply(args=["eager"]).get()
    finally:
        context.reset(token)

    assert seen == "req-from-view"
    [line] = [line for line in log_lines() if line["logger"] == "cafepos.tests.task"]
    assert line["request_id"] == "req-from-view"
    assert line["task"] == "cafepos.tests.ops.log_from_task"


def test_a_task_nobody_queued_from_a_request_logs_under_its_task_id(log_lines):
    result = log_from_task.apply(args=["beat"])

    assert result.get() == result.id


@pytest.mark.redis
def test_a_task_queued_during_a_request_carries_its_id_to_a_real_worker():
    """Through the Redis broker to a worker thread: only the task header can carry the id across."""
    queue = f"ops-logging-{uuid.uuid4().hex}"
    note = uuid.uuid4().hex
    with start_worker(celery_app, perform_ping_check=False, queues=[queue]):
        token = context.bind(request_id="req-through-the-broker")
        try:
            log_from_task.apply_async(args=[note], queue=queue)
        finally:
            context.reset(token)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and note not in SEEN_BY_TASKS:
            time.sleep(0.05)

    assert SEEN_BY_TASKS[note] == "req-through-the-broker"


def test_a_malformed_log_call_is_logged_not_raised(log_lines):
    logging.getLogger("cafepos.tests.careless").warning("pin=%s for %s", "918273")

    [line] = [line for line in log_lines() if line["logger"] == "cafepos.tests.careless"]
    assert "918273" not in line["message"]
