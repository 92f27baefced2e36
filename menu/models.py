"""What a location sells: categories, items, and modifier groups shared between items."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Location
from cafepos.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from cafepos.text import VisibleCharField, VisibleTextField

from .translations import Translatable, translations_field


class Station(models.TextChoices):
    KITCHEN = "KITCHEN", _("Kitchen")
    BAR = "BAR", _("Bar")
    NONE = "NONE", _("None (grab and go)")


class Category(Translatable, models.Model):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="menu_categories", verbose_name=_("location")
    )
    name = VisibleCharField(max_length=100, verbose_name=_("name"))
    sort_order = models.PositiveIntegerField(default=0, verbose_name=_("sort order"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    translations = translations_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["location_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="category_unique_name")]

    def __str__(self):
        return self.name


class ModifierGroup(Translatable, models.Model):
    """A choice on an item ("Milk", "Size"): between min and max modifiers, required if min ≥ 1."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="modifier_groups", verbose_name=_("location")
    )
    name = VisibleCharField(max_length=100, verbose_name=_("name"))
    min_selections = models.PositiveSmallIntegerField(default=0, verbose_name=_("min selections"))
    max_selections = models.PositiveSmallIntegerField(default=1, verbose_name=_("max selections"))
    is_required = models.BooleanField(default=False, verbose_name=_("is required"))
    sort_order = models.PositiveIntegerField(default=0, verbose_name=_("sort order"))
    translations = translations_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("modifier group")
        verbose_name_plural = _("modifier groups")
        ordering = ["location_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="modifier_group_unique_name")]

    def __str__(self):
        return self.name


class Modifier(Translatable, models.Model):
    group = models.ForeignKey(
        ModifierGroup, on_delete=models.CASCADE, related_name="modifiers", verbose_name=_("group")
    )
    name = VisibleCharField(max_length=100, verbose_name=_("name"))
    price_delta = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        default=Decimal("0"),
        verbose_name=_("price delta"),
    )
    is_sold_out = models.BooleanField(default=False, verbose_name=_("is sold out"))
    sort_order = models.PositiveIntegerField(default=0, verbose_name=_("sort order"))
    translations = translations_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("modifier")
        verbose_name_plural = _("modifiers")
        ordering = ["group_id", "sort_order", "name"]

    def __str__(self):
        return f"{self.group.name}: {self.name}"


MAX_TAX_RATE = Decimal(100)  # percent


class MenuItem(Translatable, models.Model):
    translatable_fields = ("name", "description")

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="menu_items", verbose_name=_("location")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("category"))
    name = VisibleCharField(max_length=150, verbose_name=_("name"))
    description = VisibleTextField(blank=True, verbose_name=_("description"))
    price = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, verbose_name=_("price")
    )
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("10.00"), help_text=_("Percent."), verbose_name=_("tax rate")
    )
    sku = VisibleCharField(
        max_length=64,
        blank=True,
        help_text=_("Leave empty for the next free ITEM-number of the location."),
        verbose_name=_("sku"),
    )
    image = models.ImageField(upload_to="menu/", blank=True, verbose_name=_("image"))
    sort_order = models.PositiveIntegerField(default=0, verbose_name=_("sort order"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    is_sold_out = models.BooleanField(
        default=False, help_text=_("86'd: shown greyed out, cannot be ordered."), verbose_name=_("is sold out")
    )
    station = models.CharField(
        max_length=10, choices=Station.choices, default=Station.KITCHEN, verbose_name=_("station")
    )
    modifier_groups = models.ManyToManyField(
        ModifierGroup, blank=True, related_name="items", verbose_name=_("modifier groups")
    )
    translations = translations_field()
    history = HistoricalRecords(m2m_fields=[modifier_groups])

    class Meta:
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        ordering = ["location_id", "category_id", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "sku"], name="menu_item_unique_sku"),
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0, tax_rate__lte=MAX_TAX_RATE), name="menu_item_tax_rate_range"
            ),
        ]

    def __str__(self):
        return self.name
