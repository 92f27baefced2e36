"""Sentry, on when SENTRY_DSN is set: the Django, Celery and Redis integrations, sample rates and environment
from the environment, no PII, and no secret in what would be sent. Run in a fresh process (Sentry patches
Django globally) whose transport records envelopes instead of sending them."""

import json

from cafepos.tests.subprocesses import run_django

SCRIPT = """
import json, logging
import django
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport

envelopes = []

class Recorder(Transport):
    def capture_envelope(self, envelope):
        envelopes.append(envelope.serialize().decode())

client = sentry_sdk.get_client()
client.transport = Recorder(client.options)
logging.getLogger("cafepos.tests").warning("PIN login refused: pin=%s", "918273")
sentry_sdk.set_extra("password", "correct-horse-battery")
sentry_sdk.set_extra("headers", {"Authorization": "Api-Key ck_live_7f3a9b2c", "Accept": "text/html"})
sentry_sdk.capture_message("token refused: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig")
sentry_sdk.flush()
print(json.dumps({
    "integrations": sorted(client.integrations),
    "send_default_pii": client.options["send_default_pii"],
    "environment": client.options["environment"],
    "traces_sample_rate": client.options["traces_sample_rate"],
    "profiles_sample_rate": client.options["profiles_sample_rate"],
    "envelopes": envelopes,
}))
"""


def test_sentry_starts_with_the_integrations_and_sends_no_secret():
    result = run_django(
        "-c",
        SCRIPT,
        env={
            "SENTRY_DSN": "https://publickey@sentry.example.com/42",
            "SENTRY_ENVIRONMENT": "staging",
            "SENTRY_TRACES_SAMPLE_RATE": "0.25",
            "SENTRY_PROFILES_SAMPLE_RATE": "0.1",
        },
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"django", "celery", "redis"} <= set(report["integrations"])
    assert report["send_default_pii"] is False
    assert report["environment"] == "staging"
    assert (report["traces_sample_rate"], report["profiles_sample_rate"]) == (0.25, 0.1)
    [envelope] = report["envelopes"]
    assert "token refused" in envelope and "PIN login refused" in envelope  # the event and its breadcrumb
    assert "[REDACTED]" in envelope and "text/html" in envelope
    for secret in ("918273", "correct-horse-battery", "ck_live_7f3a9b2c", "eyJhbGciOiJIUzI1NiJ9"):
        assert secret not in envelope
