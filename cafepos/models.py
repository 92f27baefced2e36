"""The shared core's tables: the idempotency store and the event outbox (no foreign keys to domain apps)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One client-chosen key per principal scope, with the fingerprint of its request and, once done, its response."""

    class State(models.TextChoices):
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        DONE = "DONE", _("Done")

    scope = models.CharField(max_length=200, help_text=_("The principal (and operation), e.g. `terminal:3`."))
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of the request's canonical JSON."))
    state = models.CharField(max_length=11, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(
        default=timezone.now, help_text=_("When a process last started running the request (takeover after a crash).")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="cafepos_idempotency_scope_key")]

    def __str__(self):
        return f"{self.scope} {self.key} ({self.state})"


class LocationSequence(models.Model):
    """The per-location lock row and the last event seq handed out there."""

    location_id = models.BigIntegerField(primary_key=True)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self):
        return f"location {self.location_id}: seq {self.last_seq}"


class Event(models.Model):
    """An outbox row, written in the transaction of the change it describes and relayed after commit."""

    location_id = models.BigIntegerField()
    seq = models.BigIntegerField(help_text=_("Gap-free and in commit order per location."))
    type = models.CharField(max_length=100)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["location_id", "seq"], name="cafepos_event_location_seq")]
        indexes = [
            models.Index(
                fields=["location_id", "seq"],
                condition=Q(published_at__isnull=True),
                name="cafepos_event_unpublished",
            )
        ]

    def __str__(self):
        return f"{self.type} #{self.seq} at location {self.location_id}"
