"""Who works where: users, organizations, locations, role memberships and paired terminals."""

import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from cafepos.locales import country_choices, language_choices
from cafepos.money import CURRENCY_CHOICES, currency_places
from cafepos.text import VisibleCharField, VisibleEmailField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: logs in to admin and the API with email and password, at a terminal with a PIN."""

    email = VisibleEmailField(unique=True)
    full_name = VisibleCharField(max_length=150, blank=True)
    pin_hash = models.CharField(max_length=128, blank=True, help_text="Hashed 4–6 digit terminal PIN.")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May enter the admin back office.")
    date_joined = models.DateTimeField(default=timezone.now)
    language = models.CharField(
        max_length=8,
        choices=language_choices,
        blank=True,
        help_text="The back office's language; blank: the browser's.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


class Organization(models.Model):
    """A business that owns one or more locations."""

    name = VisibleCharField(max_length=150)
    customer_data_retention_days = models.PositiveIntegerField(
        default=365, help_text="Days after which customer details on orders are erased."
    )

    def __str__(self):
        return self.name


def validate_time_zone(value: str):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Paris).")


class Location(models.Model):
    """A cafe or restaurant: its own menu, tables, staff, terminals, currency and business day."""

    class TaxMode(models.TextChoices):
        INCLUSIVE = "INCLUSIVE", "Prices include tax"
        EXCLUSIVE = "EXCLUSIVE", "Prices exclude tax"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="locations")
    name = VisibleCharField(max_length=150)
    time_zone = models.CharField(max_length=64, default="Europe/Paris", validators=[validate_time_zone])
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    country = models.CharField(
        max_length=2, choices=country_choices, default="FR", help_text="ISO 3166 country: local rules and phones."
    )
    language = models.CharField(
        max_length=8,
        choices=language_choices,
        default="en",
        help_text="The terminals', receipts' and guest emails' language; staff may choose their own at the till.",
    )
    tax_mode = models.CharField(max_length=10, choices=TaxMode.choices, default=TaxMode.INCLUSIVE)
    business_day_cutoff_hour = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(23)],
        help_text="Orders before this local hour belong to the previous business day.",
    )
    discount_approval_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Discounts above this percentage of the subtotal need a manager's approval.",
    )
    max_tip_percent = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("100.00"),
        db_default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
        help_text="Tips above this percentage of the amount paid need a manager's approval.",
    )
    kitchen_amber_minutes = models.PositiveSmallIntegerField(default=5)
    kitchen_red_minutes = models.PositiveSmallIntegerField(default=10)

    class Meta:
        ordering = ["organization_id", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kitchen_red_minutes <= self.kitchen_amber_minutes:
            raise ValidationError({"kitchen_red_minutes": "Red must come after amber."})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def currency_places(self) -> int:
        return currency_places(self.currency)

    def business_day(self, at: datetime.datetime | None = None) -> datetime.date:
        """The business day a moment belongs to: its local date, or the day before if before the cutoff."""
        local = (at or timezone.now()).astimezone(self.zone)
        if local.hour < self.business_day_cutoff_hour:
            return local.date() - datetime.timedelta(days=1)
        return local.date()


class Role(models.TextChoices):
    OWNER = "OWNER", "Owner"
    MANAGER = "MANAGER", "Manager"
    CASHIER = "CASHIER", "Cashier"
    KITCHEN = "KITCHEN", "Kitchen"


class Membership(models.Model):
    """A user's role at one location. An OWNER membership grants every location of the organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "location"], name="membership_unique_user_location")]
        ordering = ["location_id", "role", "user_id"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.location}"


class Terminal(models.Model):
    """A browser paired to a location; it holds a long-lived, revocable device credential in a cookie."""

    class Kind(models.TextChoices):
        POS = "POS", "Point of sale"
        KITCHEN = "KITCHEN", "Kitchen display"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="terminals")
    name = VisibleCharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POS)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    paired_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    paired_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["location_id", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()}, {self.location})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def home_url(self) -> str:
        return "/kitchen/" if self.kind == self.Kind.KITCHEN else "/pos/"


class ApiKey(models.Model):
    """A third party's key for one location with scopes; only its hash is stored, the key is shown once."""

    SCOPES = ("menu:read", "menu:write", "orders:read", "orders:write", "reports:read")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="api_keys")
    name = VisibleCharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True, editable=False, help_text="Identifies the key in logs.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API key"
        ordering = ["location_id", "name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TerminalSignIn(models.Model):
    """The last time a staff member signed in with their PIN on a terminal.

    A terminal may act for staff who are no longer signed in (offline orders synced later) only if they
    signed in there recently: a device credential alone cannot name just anyone of the location.
    """

    terminal = models.ForeignKey(Terminal, on_delete=models.CASCADE, related_name="sign_ins")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terminal_sign_ins")
    signed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["terminal", "user"], name="terminal_sign_in_unique")]

    def __str__(self):
        return f"{self.user} on {self.terminal} at {self.signed_in_at:%Y-%m-%d %H:%M}"
