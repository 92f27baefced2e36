"""The one error shape: every 4xx/5xx an API view or Django produces under /api/."""

import json
import logging

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient

from cafepos.exceptions import ApplicationError, error_body
from cafepos.observability.redaction import REDACTED

from .error_urls import CARD

pytestmark = pytest.mark.urls("cafepos.tests.error_urls")


@pytest.fixture
def api():
    return APIClient()


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_application_error_keeps_its_code_message_and_fields(api):
    error = assert_error(api.post("/api/v1/refused/", {}, format="json"), 400, "order.illegal_transition")

    assert error == {
        "code": "order.illegal_transition",
        "message": "Cannot serve a cancelled order.",
        "fields": {"status": ["No."]},
    }


def test_wrong_types_are_a_validation_error_naming_each_nested_field(api):
    body = {"type": "SPACESHIP", "items": [{"quantity": 2}, {"quantity": "many"}]}

    error = assert_error(api.post("/api/v1/echo/", body, format="json"), 400, "validation_error")

    assert set(error["fields"]) == {"type", "items.1.quantity"}
    assert all(isinstance(message, str) for messages in error["fields"].values() for message in messages)


def test_a_body_that_is_not_an_object_is_a_validation_error(api):
    error = assert_error(api.post("/api/v1/echo/", [1, 2], format="json"), 400, "validation_error")

    assert "non_field_errors" in error["fields"]


def test_malformed_json_is_a_400_not_a_500(api):
    response = api.post("/api/v1/echo/", '{"type": "TAKEAWAY",', content_type="application/json")

    assert_error(response, 400, "malformed_request")


def test_json_nested_too_deeply_is_a_400_not_a_500(api):
    response = api.post("/api/v1/echo/", "[" * 100_000, content_type="application/json")

    assert_error(response, 400, "malformed_request")


def test_secrets_repeated_in_an_application_error_are_redacted(api):
    error = assert_error(api.post("/api/v1/leaky/", {}, format="json"), 400, "payment.declined")

    assert error == {
        "code": "payment.declined",
        "message": f"Card {REDACTED} declined.",
        "fields": {"pin": [f"pin={REDACTED} is wrong."]},
    }


def test_secrets_a_validation_message_repeats_are_redacted(api):
    error = assert_error(api.post("/api/v1/choice/", {"tender": CARD}, format="json"), 400, "validation_error")

    assert "4111" not in json.dumps(error)
    assert error["fields"] == {"tender": [f'"{REDACTED}" is not a valid choice.']}


def test_an_application_error_renders_as_the_one_redacted_shape():
    """`as_dict` is what the rate-limit middleware and the pages' JSON views send."""
    error = ApplicationError("payment.declined", f"Card {CARD} declined.", {"card": [f"Not {CARD}."]})

    assert error.as_dict() == error_body(error.code, error.message, error.fields)
    assert error.as_dict() == {
        "error": {
            "code": "payment.declined",
            "message": f"Card {REDACTED} declined.",
            "fields": {"card": [f"Not {REDACTED}."]},
        }
    }


def test_lazy_translated_messages_render_as_plain_json_strings():
    """Messages defined once at module level are `gettext_lazy` proxies: the body holds them as str."""
    message, field_message = gettext_lazy("Unknown location."), gettext_lazy(f"Not {CARD}.")
    body = ApplicationError("validation_error", message, {"location": [field_message]}).as_dict()

    assert json.loads(json.dumps(body)) == {
        "error": {
            "code": "validation_error",
            "message": "Unknown location.",
            "fields": {"location": [f"Not {REDACTED}."]},
        }
    }
    assert type(body["error"]["message"]) is str


def test_a_body_over_the_upload_limit_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"type": "TAKEAWAY", "items": [], "note": "x" * 2048})

    response = api.post("/api/v1/echo/", body, content_type="application/json")

    assert_error(response, 413, "request_too_large")


def test_a_form_body_is_an_unsupported_media_type(api):
    response = api.post("/api/v1/echo/", "type=TAKEAWAY", content_type="application/x-www-form-urlencoded")

    assert_error(response, 415, "unsupported_media_type")


def test_a_wrong_method_is_405(api):
    assert_error(api.get("/api/v1/echo/"), 405, "method_not_allowed")


def test_an_unexpected_exception_is_a_logged_500_in_the_same_shape(api, caplog):
    response = api.get("/api/v1/broken/")

    assert_error(response, 500, "server_error")
    assert "a bug" not in response.content.decode()
    assert any(
        record.name == "cafepos.api"
        and "Unexpected error" in record.getMessage()
        and "RuntimeError: a bug" in (record.exc_text or logging.Formatter().formatException(record.exc_info))
        for record in caplog.records
    )


@pytest.mark.urls("cafepos.urls")
def test_an_unknown_api_path_is_a_404_in_the_error_shape(api):
    assert_error(api.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api.post("/api/v2/orders", {}, format="json"), 404, "not_found")


@pytest.mark.urls("cafepos.urls")
def test_a_post_to_an_unknown_api_path_is_a_404_not_a_csrf_page():
    browser = APIClient(enforce_csrf_checks=True)

    assert_error(browser.post("/api/v1/orders", {}, format="json"), 404, "not_found")


@pytest.mark.urls("cafepos.urls")
def test_pages_outside_the_api_keep_djangos_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
