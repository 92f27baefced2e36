"""Where guests sit: areas of a location and tables placed on a floor-plan grid."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Location
from cafepos.text import VisibleCharField

MAX_SEATS = 100
GRID_SIZE = 100  # floor-plan cells per side


class Area(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="areas", verbose_name=_("location"))
    name = VisibleCharField(max_length=100, verbose_name=_("name"))
    sort_order = models.PositiveIntegerField(default=0, verbose_name=_("sort order"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["location_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="area_unique_name")]

    def __str__(self):
        return self.name


class Table(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="tables", verbose_name=_("location"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="tables", verbose_name=_("area"))
    label = VisibleCharField(max_length=20, verbose_name=_("label"))
    seats = models.PositiveSmallIntegerField(default=2, verbose_name=_("seats"))
    grid_x = models.PositiveSmallIntegerField(
        default=0, help_text=_("Column on the floor plan."), verbose_name=_("grid x")
    )
    grid_y = models.PositiveSmallIntegerField(
        default=0, help_text=_("Row on the floor plan."), verbose_name=_("grid y")
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["location_id", "area_id", "label"]
        constraints = [
            models.UniqueConstraint(fields=["location", "label"], name="table_unique_label"),
            models.CheckConstraint(condition=models.Q(seats__gte=1, seats__lte=MAX_SEATS), name="table_seats_range"),
            models.CheckConstraint(
                condition=models.Q(grid_x__lt=GRID_SIZE, grid_y__lt=GRID_SIZE), name="table_on_the_grid"
            ),
        ]

    def __str__(self):
        return self.label
