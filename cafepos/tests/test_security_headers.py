"""Security headers on pages, API answers and errors: a Content-Security-Policy, no MIME sniffing, a referrer
policy, no framing, and (in production, over HTTPS) HSTS."""

import json

import pytest
from django.test import Client

from accounts.tests.factories import LocationFactory
from cafepos.security_headers import DATA_POLICY, PAGE_POLICY
from cafepos.tests.subprocesses import run_django
from cafepos.tests.test_production_settings import GOOD_JWT_SECRET, GOOD_SECRET_KEY
from pos.tests.pos import pos_client

pytestmark = pytest.mark.django_db

# path, and whether it answers with HTML
RESPONSES = [
    ("/admin/login/", True),
    ("/terminal/pair/", True),
    ("/backoffice/reports/", True),  # a redirect to the login page
    ("/api/v1/menu/", False),  # 401
    ("/api/v1/nowhere/", False),  # 404
    ("/api/v1/schema/", False),
]


@pytest.mark.parametrize(("path", "html"), RESPONSES)
def test_every_response_carries_the_security_headers(path, html):
    response = Client().get(path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == (PAGE_POLICY if html else DATA_POLICY)


def test_a_page_with_its_own_policy_keeps_it():
    client, _, _ = pos_client(LocationFactory())

    policy = client.get("/pos/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


# The policies as written out before django-csp sent them: the same text, directive for directive.
PAGE_HEADER = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DATA_HEADER = "default-src 'none'; frame-ancestors 'none'"
SCREEN_HEADER = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self' ws://testserver wss://testserver; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def test_each_policy_is_sent_as_written_out_in_a_fixed_order():
    client, _, _ = pos_client(LocationFactory())

    assert (PAGE_POLICY, DATA_POLICY) == (PAGE_HEADER, DATA_HEADER)
    assert Client().get("/admin/login/")["Content-Security-Policy"] == PAGE_HEADER
    assert Client().get("/api/v1/menu/")["Content-Security-Policy"] == DATA_HEADER
    assert client.get("/pos/")["Content-Security-Policy"] == SCREEN_HEADER
    assert client.get("/pos/", HTTP_HOST="localhost:8000")["Content-Security-Policy"] == SCREEN_HEADER.replace(
        "testserver", "localhost:8000"
    )


def test_a_service_worker_script_gets_no_data_policy():
    """A policy on the worker's own script would govern the worker: /pos/sw.js could not cache the pages."""
    response = Client().get("/pos/sw.js")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_policies_allow_nothing_from_other_sites_and_no_framing():
    for policy in (PAGE_POLICY, DATA_POLICY):
        assert "frame-ancestors 'none'" in policy
        assert "http" not in policy and "*" not in policy
    assert "object-src 'none'" in PAGE_POLICY


PROBE = """
import json
from django.test import Client
client = Client()
secure = client.get("/api/v1/menu/", secure=True)
plain = client.get("/health")
print(json.dumps({"secure": dict(secure.headers), "plain": dict(plain.headers)}))
"""


def test_production_sends_hsts_over_https_only():
    result = run_django(
        "-c",
        "import django; django.setup()\n" + PROBE,
        env={
            "APP_ENV": "production",
            "SECRET_KEY": GOOD_SECRET_KEY,
            "JWT_SECRET": GOOD_JWT_SECRET,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
        },
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])

    hsts = headers["secure"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert headers["secure"]["Content-Security-Policy"] == DATA_POLICY
    assert "Strict-Transport-Security" not in headers["plain"]  # browsers ignore it over plain HTTP anyway
