"""The Celery application; configuration comes from Django settings prefixed CELERY_."""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings")


class Task(DjangoTask):
    """Celery's Django task, whose `delay_on_commit` / `apply_async_on_commit` queue after the commit, registered
    robust: a broker that refuses the message is logged, not raised into the caller that already committed (a
    request would answer 500 for a change it made). The rows being queued are the truth, and their sweeper queues
    them again."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(lambda: self.delay(*args, **kwargs), robust=True)

    def apply_async_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(lambda: self.apply_async(*args, **kwargs), robust=True)


app = Celery("cafepos", task_cls=Task)
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
