"""Run Django in a fresh process with a chosen environment (settings are read once, at start-up)."""

import os
import subprocess
import sys

from django.conf import settings

# Variables that would leak this test run's configuration into the child process.
_CLEARED = (
    "DJANGO_SETTINGS_MODULE",
    "APP_ENV",
    "SECRET_KEY",
    "JWT_SECRET",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
)


def django_env(env: dict[str, str]) -> dict[str, str]:
    """A clean CafePOS environment plus `env`, for a child process."""
    child_env = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    child_env.update({"DJANGO_SETTINGS_MODULE": "cafepos.settings", **env})
    return child_env


def run_django(*args: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    """`python <args>` in the project folder with a clean CafePOS environment plus `env`."""
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=django_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
