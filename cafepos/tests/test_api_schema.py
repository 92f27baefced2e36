"""The OpenAPI schema: generated without a warning, every response a named component, and the docs served
from our own static files (no CDN)."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def schema():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_generates_and_validates_without_a_warning(tmp_path):
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "s.yaml"),
        ],
        cwd=settings.BASE_DIR,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr


def test_every_response_is_a_named_component(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for media in response.get("content", {}).values():
                    body = media["schema"]
                    ref = body.get("$ref") or body.get("items", {}).get("$ref")
                    assert ref, f"{method.upper()} {path} {status} has an inline body"
                    if int(status) >= 400:
                        assert ref == "#/components/schemas/Error"


def test_no_component_is_a_free_form_object(schema):
    def check(name, node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert "properties" in node or isinstance(node.get("additionalProperties"), dict), name
            for child in node.values():
                check(name, child)
        elif isinstance(node, list):
            for child in node:
                check(name, child)

    for name, component in schema["components"]["schemas"].items():
        check(name, component)


def test_the_error_component_requires_its_fields_and_has_examples(schema):
    components = schema["components"]["schemas"]

    assert components["Error"]["required"] == ["error"]
    assert set(components["ErrorDetail"]["required"]) == {"code", "message", "fields"}
    errors = [
        response
        for operations in schema["paths"].values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status == "400"
    ]
    assert errors and all("examples" in response["content"]["application/json"] for response in errors)


def test_security_schemes_describe_jwt_terminal_api_key_and_session(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["jwtAuth"] == {**schemes["jwtAuth"], "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert (schemes["apiKeyAuth"]["in"], schemes["apiKeyAuth"]["name"]) == ("header", "Authorization")
    assert (schemes["terminalStaff"]["in"], schemes["terminalStaff"]["name"]) == ("header", "X-Staff-Id")
    assert schemes["sessionAuth"]["in"] == "cookie"
    orders = schema["paths"]["/api/v1/orders/"]["post"]
    assert {"jwtAuth": []} in orders["security"]
    assert {"terminalAuth": [], "terminalStaff": []} in orders["security"]
    assert "Idempotency-Key" in [p["name"] for p in orders["parameters"]]
    assert "location" in [p["name"] for p in orders["parameters"]]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_load_nothing_from_another_site(path):
    response = APIClient().get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page loads something from another site"
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", page)
    assert assets and all(finders.find(asset) for asset in assets)


def test_links_chain_an_order_from_the_menu_to_a_refund_and_name_real_operations(schema):
    operations = {
        operation["operationId"]: operation
        for operations in schema["paths"].values()
        for operation in operations.values()
    }

    def links(operation_id, status):
        return operations[operation_id]["responses"][status]["links"]

    assert links("menu", "200")["OrderMenuItem"]["operationId"] == "orders_create"
    assert links("orders_create", "201")["AddItems"]["requestBody"] == {"version": "$response.body#/version"}
    assert (
        links("orders_payment_add", "201")["RefundPayment"]["requestBody"]["payment_id"] == "$response.body#/payment/id"
    )
    assert links("shifts_open", "201")["CloseShift"]["parameters"]["id"] == "$response.body#/id"
    for operation in operations.values():
        for response in operation["responses"].values():
            for link in response.get("links", {}).values():
                target = operations[link["operationId"]]
                assert set(link["parameters"]) <= {parameter["name"] for parameter in target["parameters"]}


def test_parameters_document_only_values_the_server_takes(schema):
    # what a generator takes as valid must not be refused as invalid: location ids are positive, and an
    # Idempotency-Key is not blank
    create = schema["paths"]["/api/v1/orders/"]["post"]
    parameters = {parameter["name"]: parameter["schema"] for parameter in create["parameters"]}

    assert parameters["location"]["minimum"] == 1
    assert parameters["Idempotency-Key"]["minLength"] == 1
    assert parameters["Idempotency-Key"]["maxLength"] == 255
