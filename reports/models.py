"""CSV exports of long ranges, run by a Celery worker on the `exports` queue; progress shown in the back office."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from orders.models import rate_field, sum_field


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        ORDERS = "ORDERS", _("Orders (one row per order)")
        LINES = "LINES", _("Order lines (one row per item sold)")

    class Status(models.TextChoices):
        QUEUED = "QUEUED", _("Queued")
        RUNNING = "RUNNING", _("Running")
        DONE = "DONE", _("Done")
        FAILED = "FAILED", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    locations = models.ManyToManyField(Location, related_name="+", verbose_name=_("locations"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ORDERS, verbose_name=_("kind"))
    date_from = models.DateField(verbose_name=_("date from"))
    date_to = models.DateField(verbose_name=_("date to"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status"))
    days_done = models.PositiveIntegerField(default=0, verbose_name=_("days done"))
    days_total = models.PositiveIntegerField(default=0, verbose_name=_("days total"))
    rows_written = models.PositiveIntegerField(default=0, verbose_name=_("rows written"))
    file = models.FileField(upload_to="exports/", blank=True, verbose_name=_("file"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Last sign of life of the running task."), verbose_name=_("heartbeat at")
    )
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="reports_export_status")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date_from} – {self.date_to} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        """Percent done."""
        return 100 if self.status == self.Status.DONE else int(100 * self.days_done / max(self.days_total, 1))


# Daily roll-ups (built and kept fresh by reports/rollups.py): one location's business day, summed once.


class RollupState(models.Model):
    """Per location: the last outbox seq folded into its roll-ups, and the settings they were computed with."""

    location = models.OneToOneField(
        Location, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("location")
    )
    seq = models.BigIntegerField(default=0, verbose_name=_("seq"))
    built_for = models.CharField(
        max_length=200, blank=True, help_text=_("Currency, tax mode and time zone."), verbose_name=_("built for")
    )

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self):
        return f"{self.location_id}: seq {self.seq}"


class RollupRow(models.Model):
    """One location's business day: what every roll-up row is keyed by."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+", verbose_name=_("location"))
    business_day = models.DateField(verbose_name=_("business day"))

    class Meta:
        abstract = True


class OrderSums(RollupRow):
    """The order figures summed for a day (or a group of its orders), money in the currency's units."""

    orders = models.PositiveIntegerField()
    gross = sum_field()
    discounts = sum_field()
    tax = sum_field()
    tips = sum_field()
    total = sum_field()

    class Meta:
        abstract = True


class RollupDay(OrderSums):
    """A built day (its row exists even with no sales): the summary figures."""

    cancelled = models.PositiveIntegerField()
    refunds = sum_field()
    refund_count = models.PositiveIntegerField()
    voids = sum_field()
    void_count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["location", "business_day"], name="reports_rollupday_key")]


class RollupGroup(OrderSums):
    """Order figures of a day by hour, staff, type or source (`value` as text; "" for no staff)."""

    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=50)

    class Meta:
        indexes = [models.Index(fields=["location", "business_day"], name="reports_rollupgroup_day")]


class RollupTender(RollupRow):
    """Payments of a day's orders by tender."""

    tender = models.CharField(max_length=10)
    payments = models.PositiveIntegerField()
    amount = sum_field()
    tips = sum_field()
    refunds = sum_field()

    class Meta:
        indexes = [models.Index(fields=["location", "business_day"], name="reports_rolluptender_day")]


class RollupLine(RollupRow):
    """Lines of a day by item, name and tax rate, discounts spread: money in minor units. The item's category is
    joined when read (no foreign-key constraint: a deleted item reads as removed, as in the live lines)."""

    menu_item = models.ForeignKey(
        "menu.MenuItem", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    tax_rate = rate_field()
    quantity = models.BigIntegerField()
    gross = models.BigIntegerField()
    discounts = models.BigIntegerField()
    tax = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["location", "business_day"], name="reports_rollupline_day")]
