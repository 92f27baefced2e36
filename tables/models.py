"""Where guests sit: areas of a location and tables placed on a floor-plan grid."""

from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Location
from cafepos.text import VisibleCharField

MAX_SEATS = 100
GRID_SIZE = 100  # floor-plan cells per side


class Area(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="areas")
    name = VisibleCharField(max_length=100)
    sort_order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["location_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="area_unique_name")]

    def __str__(self):
        return self.name


class Table(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="tables")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="tables")
    label = VisibleCharField(max_length=20)
    seats = models.PositiveSmallIntegerField(default=2)
    grid_x = models.PositiveSmallIntegerField(default=0, help_text="Column on the floor plan.")
    grid_y = models.PositiveSmallIntegerField(default=0, help_text="Row on the floor plan.")
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
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
