"""What a location sells: categories, items, and modifier groups shared between items."""

from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Location
from cafepos.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from cafepos.text import VisibleCharField, VisibleTextField

from .translations import Translatable, translations_field


class Station(models.TextChoices):
    KITCHEN = "KITCHEN", "Kitchen"
    BAR = "BAR", "Bar"
    NONE = "NONE", "None (grab and go)"


class Category(Translatable, models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="menu_categories")
    name = VisibleCharField(max_length=100)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    translations = translations_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["location_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="category_unique_name")]

    def __str__(self):
        return self.name


class ModifierGroup(Translatable, models.Model):
    """A choice on an item ("Milk", "Size"): between min and max modifiers, required if min ≥ 1."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="modifier_groups")
    name = VisibleCharField(max_length=100)
    min_selections = models.PositiveSmallIntegerField(default=0)
    max_selections = models.PositiveSmallIntegerField(default=1)
    is_required = models.BooleanField(default=False)
    sort_order = models.PositiveIntegerField(default=0)
    translations = translations_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["location_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="modifier_group_unique_name")]

    def __str__(self):
        return self.name


class Modifier(Translatable, models.Model):
    group = models.ForeignKey(ModifierGroup, on_delete=models.CASCADE, related_name="modifiers")
    name = VisibleCharField(max_length=100)
    price_delta = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, default=Decimal("0")
    )
    is_sold_out = models.BooleanField(default=False)
    sort_order = models.PositiveIntegerField(default=0)
    translations = translations_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group_id", "sort_order", "name"]

    def __str__(self):
        return f"{self.group.name}: {self.name}"


MAX_TAX_RATE = Decimal(100)  # percent


class MenuItem(Translatable, models.Model):
    translatable_fields = ("name", "description")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="menu_items")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    name = VisibleCharField(max_length=150)
    description = VisibleTextField(blank=True)
    price = models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("10.00"), help_text="Percent.")
    sku = VisibleCharField(max_length=64)
    image = models.ImageField(upload_to="menu/", blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_sold_out = models.BooleanField(default=False, help_text="86'd: shown greyed out, cannot be ordered.")
    station = models.CharField(max_length=10, choices=Station.choices, default=Station.KITCHEN)
    modifier_groups = models.ManyToManyField(ModifierGroup, blank=True, related_name="items")
    translations = translations_field()
    history = HistoricalRecords(m2m_fields=[modifier_groups])

    class Meta:
        ordering = ["location_id", "category_id", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "sku"], name="menu_item_unique_sku"),
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0, tax_rate__lte=MAX_TAX_RATE), name="menu_item_tax_rate_range"
            ),
        ]

    def __str__(self):
        return self.name
