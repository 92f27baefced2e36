"""CSV exports of long ranges, run by a Celery worker on the `exports` queue; progress shown in the back office."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Location


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        ORDERS = "ORDERS", "Orders (one row per order)"
        LINES = "LINES", "Order lines (one row per item sold)"

    class Status(models.TextChoices):
        QUEUED = "QUEUED", "Queued"
        RUNNING = "RUNNING", "Running"
        DONE = "DONE", "Done"
        FAILED = "FAILED", "Failed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    locations = models.ManyToManyField(Location, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ORDERS)
    date_from = models.DateField()
    date_to = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    days_done = models.PositiveIntegerField(default=0)
    days_total = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the running task.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="reports_export_status")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date_from} – {self.date_to} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        """Percent done."""
        return 100 if self.status == self.Status.DONE else int(100 * self.days_done / max(self.days_total, 1))
