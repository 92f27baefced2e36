"""Deliveries that must not be lost: webhook POSTs and emails are rows with a state, not only broker messages.

A Celery task delivers one row; a periodic sweeper re-queues rows that are due, so a Redis restart (which
loses the queue) delays a delivery but never drops it. Both kinds share the retry bookkeeping below.
The tables keep the names they had when these models lived in `realtime` (`Meta.db_table`).
"""

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from cafepos.netguard import WEBHOOK, AllowedURLValidator
from cafepos.text import VisibleCharField

MAX_RETRY_DELAY = 3600.0  # seconds


def webhook_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def retry_deadline():
    return timezone.now() + timedelta(seconds=settings.WEBHOOK_RETRY_FOR)


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    DELIVERED = "DELIVERED", _("Delivered")
    FAILED = "FAILED", _("Given up")


@dataclass(frozen=True)
class Attempt:
    """What one attempt at a delivery row did (`outcome`, for logs and tests) and what its task queues next: the
    same row after `retry_in` seconds, and the emails it wrote (an endpoint's disabling notices)."""

    outcome: str
    retry_in: float | None = None
    emails: tuple[int, ...] = ()


class Delivery(models.Model):
    """What webhook and email deliveries share: a state, attempts, and when to try next."""

    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, verbose_name=_("status")
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(default=timezone.now, verbose_name=_("next attempt at"))
    retry_until = models.DateTimeField(
        default=retry_deadline, help_text=_("Given up after this moment."), verbose_name=_("retry until")
    )
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a task was last queued for it."), verbose_name=_("enqueued at")
    )
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        abstract = True

    def retry_later(self, *, now, error: str) -> float | None:
        """Record a failed attempt: the delay in seconds before the next one, or None once given up."""
        self.last_error = error[:2000]
        delay = min(settings.DELIVERY_RETRY_BASE * 2 ** max(self.attempts - 1, 0), MAX_RETRY_DELAY)
        delay *= random.uniform(0.5, 1.5)  # noqa: S311 (jitter, not security)
        if now + timedelta(seconds=delay) > self.retry_until:
            self.status = DeliveryStatus.FAILED
            return None
        self.next_attempt_at = now + timedelta(seconds=delay)
        return delay


class WebhookEndpoint(models.Model):
    """An integrator's URL that receives a location's events, signed with its secret."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("location")
    )
    url = models.URLField(
        max_length=500,
        validators=[AllowedURLValidator(WEBHOOK)],
        help_text=_(
            "HTTPS in production; receives a POST per event. Public addresses only (WEBHOOK_ALLOWED_NETWORKS)."
        ),
        verbose_name=_("url"),
    )
    event_types = models.JSONField(
        default=list, help_text=_("Event types to send; empty sends every type."), verbose_name=_("event types")
    )
    secret = models.CharField(
        max_length=100,
        default=webhook_secret,
        help_text=_("Signs every request (HMAC-SHA256)."),
        verbose_name=_("secret"),
    )
    description = VisibleCharField(max_length=200, blank=True, verbose_name=_("description"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text=_("First failure since the last success."), verbose_name=_("failing since")
    )
    disabled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("disabled at"))
    disabled_reason = models.CharField(max_length=200, blank=True, verbose_name=_("disabled reason"))

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        db_table = "realtime_webhookendpoint"
        ordering = ["location_id", "url"]
        indexes = [models.Index(fields=["location", "is_active"], name="realtime_endpoint_location")]

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(Delivery):
    """One event for one endpoint; `event_id` is the stable id receivers deduplicate on."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=100)
    location_id = models.BigIntegerField()
    body = models.TextField(help_text=_("The exact JSON sent, the same on every attempt."))

    class Meta:
        db_table = "realtime_webhookdelivery"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="realtime_delivery_unique_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="realtime_delivery_due")]

    def __str__(self):
        return f"{self.event_type} {self.event_id} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One POST of a delivery and what came back."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    started_at = models.DateTimeField(verbose_name=_("started at"))
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration ms"))
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("status code"))
    succeeded = models.BooleanField(verbose_name=_("succeeded"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    response_excerpt = models.CharField(max_length=500, blank=True, verbose_name=_("response excerpt"))

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        db_table = "realtime_webhookattempt"
        ordering = ["delivery_id", "number"]

    def __str__(self):
        return f"attempt {self.number}: {self.status_code or self.error[:40]}"


class EmailDelivery(Delivery):
    """One email to one recipient; `dedupe_key` makes an event-driven email be sent once."""

    class Kind(models.TextChoices):
        RECEIPT = "RECEIPT", _("Receipt")
        ORDER_READY = "ORDER_READY", _("Order ready")
        DAILY_SUMMARY = "DAILY_SUMMARY", _("Daily summary")
        WEBHOOK_DISABLED = "WEBHOOK_DISABLED", _("Webhook disabled")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        db_table = "realtime_emaildelivery"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("email deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="realtime_email_due")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}"
