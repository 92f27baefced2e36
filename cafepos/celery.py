"""The Celery application; configuration comes from Django settings prefixed CELERY_."""

import os

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings")

app = Celery("cafepos")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Options of a task that must get done: acknowledged only once it finished (a killed worker's task is
# redelivered), database hiccups retried with exponential backoff and jitter. Tasks add their own time limits.
RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}
