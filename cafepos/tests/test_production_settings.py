"""With APP_ENV=production, CafePOS refuses to start without real secrets, and passes Django's deploy checks."""

import pytest

from cafepos.settings.base import DEV_JWT_SECRET, DEV_SECRET_KEY
from cafepos.tests.subprocesses import run_django

GOOD_SECRET_KEY = "k7Qw2pZr9vXy4bNm8cLd1fGh6jKs3tUe5aRo0iWq-Vb7nM2xC4zL8"
GOOD_JWT_SECRET = "J4mN8bV2cX6zL1kH9gF3dS7aP5oI0uY2tR4eW6qZ"


@pytest.mark.parametrize(
    ("secrets", "named"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": DEV_SECRET_KEY, "JWT_SECRET": GOOD_JWT_SECRET}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET_KEY[:40], "JWT_SECRET": GOOD_JWT_SECRET}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET_KEY}, "JWT_SECRET"),
        ({"SECRET_KEY": GOOD_SECRET_KEY, "JWT_SECRET": DEV_JWT_SECRET}, "JWT_SECRET"),
        ({"SECRET_KEY": GOOD_SECRET_KEY, "JWT_SECRET": "short"}, "JWT_SECRET"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret(secrets, named):
    result = run_django("manage.py", "check", env={"APP_ENV": "production", **secrets})

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr


def test_production_with_real_secrets_passes_the_deploy_checks():
    result = run_django(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "APP_ENV": "production",
            "SECRET_KEY": GOOD_SECRET_KEY,
            "JWT_SECRET": GOOD_JWT_SECRET,
            "ALLOWED_HOSTS": "pos.example.com",
            "ALLOWED_ORIGINS": "https://pos.example.com",
        },
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
