"""Sentry error reporting, on when SENTRY_DSN is set: Django, Celery and Redis integrations, no PII."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.redis import RedisIntegration

from .redaction import redact


def scrub_event(event: dict, hint: dict) -> dict:
    """`before_send`: the same secrets the logs never show (PINs, tokens, cards...) leave no trace here."""
    return redact(event)


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float, profiles_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        traces_sample_rate=traces_sample_rate,
        profiles_sample_rate=profiles_sample_rate,
        send_default_pii=False,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
