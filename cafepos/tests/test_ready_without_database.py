"""/ready answers 503 naming the database when PostgreSQL cannot be reached (a real refused connection)."""

import json

from cafepos.tests.subprocesses import run_django

# Django's test client in a process whose DATABASE_URL points at a port nothing listens on.
PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/ready")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_ready_is_503_naming_the_database_when_it_is_unreachable():
    result = run_django(
        "-c",
        PROBE,
        env={
            "APP_ENV": "development",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/cafepos",
            "DATABASE_POOL_MAX": "0",  # no pool: the refusal is immediate instead of after the pool timeout
        },
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert "database" in answer["body"]["failed"]
    assert "redis" not in answer["body"]["failed"]
