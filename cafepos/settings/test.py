"""Tests: a fast password hasher, and keys isolated per pytest-xdist worker on the shared Redis."""

import os

from .base import *  # noqa: F403
from .base import CACHES, CHANNEL_LAYERS, DATABASES, REDIS_KEY_PREFIX, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

# CREATE DATABASE for the test run waits on a checkpoint, which can take longer than a request may.
if "options" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["OPTIONS"]["options"] = "-c statement_timeout=60000"

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"{REDIS_KEY_PREFIX}:test:{_worker}:cache"
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"{REDIS_KEY_PREFIX}:test:{_worker}:channels"
# A Celery worker started by the tests shares this queue prefix; a killed task comes back within seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "global_keyprefix": f"{REDIS_KEY_PREFIX}:test:{_worker}:celery:",
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,  # look for unacknowledged tasks to restore every second
    "unacked_restore_throttle": 1,
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
