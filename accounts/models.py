"""Who works where: users, organizations, locations, role memberships and paired terminals."""

import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cafepos.locales import country_choices, language_choices
from cafepos.money import CURRENCY_CHOICES, currency_places
from cafepos.text import VisibleCharField, VisibleEmailField, VisibleTextField


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

    email = VisibleEmailField(unique=True, verbose_name=_("email"))
    full_name = VisibleCharField(max_length=150, blank=True, verbose_name=_("full name"))
    pin_hash = models.CharField(
        max_length=128, blank=True, help_text=_("Hashed 4–6 digit terminal PIN."), verbose_name=_("pin hash")
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    is_staff = models.BooleanField(
        default=False, help_text=_("May enter the admin back office."), verbose_name=_("is staff")
    )
    date_joined = models.DateTimeField(default=timezone.now, verbose_name=_("date joined"))
    language = models.CharField(
        max_length=8,
        choices=language_choices,
        blank=True,
        db_default="",  # rows an older release inserts during a deploy
        help_text=_("The back office's language; blank: the browser's."),
        verbose_name=_("language"),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


class Organization(models.Model):
    """A business that owns one or more locations."""

    name = VisibleCharField(max_length=150, verbose_name=_("name"))
    customer_data_retention_days = models.PositiveIntegerField(
        default=365,
        help_text=_("Days after which customer details on orders are erased."),
        verbose_name=_("customer data retention days"),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


def validate_time_zone(value: str):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)r is not a known time zone (e.g. Europe/Paris).") % {"value": value})


ADDRESS_MAX_LENGTH = 300


class Location(models.Model):
    """A cafe or restaurant: its own menu, tables, staff, terminals, currency and business day."""

    class TaxMode(models.TextChoices):
        INCLUSIVE = "INCLUSIVE", _("Prices include tax")
        EXCLUSIVE = "EXCLUSIVE", _("Prices exclude tax")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="locations", verbose_name=_("organization")
    )
    name = VisibleCharField(max_length=150, verbose_name=_("name"))
    time_zone = models.CharField(
        max_length=64, default="Europe/Paris", validators=[validate_time_zone], verbose_name=_("time zone")
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR", verbose_name=_("currency"))
    country = models.CharField(
        max_length=2,
        choices=country_choices,
        default="FR",
        db_default="FR",
        help_text=_("ISO 3166 country: local rules and phones."),
        verbose_name=_("country"),
    )
    language = models.CharField(
        max_length=8,
        choices=language_choices,
        default="en",
        db_default="en",
        help_text=_("The terminals', receipts' and guest emails' language; staff may choose their own at the till."),
        verbose_name=_("language"),
    )
    tax_mode = models.CharField(
        max_length=10, choices=TaxMode.choices, default=TaxMode.INCLUSIVE, verbose_name=_("tax mode")
    )
    business_day_cutoff_hour = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(23)],
        help_text=_("Orders before this local hour belong to the previous business day."),
        verbose_name=_("business day cutoff hour"),
    )
    discount_approval_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Discounts above this percentage of the subtotal need a manager's approval."),
        verbose_name=_("discount approval percent"),
    )
    max_tip_percent = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("100.00"),
        db_default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
        help_text=_("Tips above this percentage of the amount paid need a manager's approval."),
        verbose_name=_("max tip percent"),
    )
    void_sent_needs_manager = models.BooleanField(
        default=False,
        db_default=False,
        help_text=_("Voiding an item the kitchen already has needs a manager: themself, or their PIN at the till."),
        verbose_name=_("manager voids sent items"),
    )
    # What the law asks a receipt to say about the seller; blank until the owner fills them in.
    legal_name = VisibleCharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("The business's registered name, printed on receipts."),
        verbose_name=_("legal name"),
    )
    address = VisibleTextField(
        max_length=ADDRESS_MAX_LENGTH,
        blank=True,
        default="",
        db_default="",
        validators=[MaxLengthValidator(ADDRESS_MAX_LENGTH)],
        help_text=_("The seller's address as printed on receipts, one line per row."),
        verbose_name=_("address"),
    )
    tax_number = VisibleCharField(
        max_length=50,
        blank=True,
        default="",
        db_default="",
        help_text=_("VAT or tax registration number, printed on receipts."),
        verbose_name=_("tax number"),
    )
    receipt_footer = VisibleCharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("One line at the foot of receipts (opening hours, Wi-Fi, a thank-you); blank: “Thank you!”."),
        verbose_name=_("receipt footer"),
    )
    kitchen_amber_minutes = models.PositiveSmallIntegerField(default=5, verbose_name=_("kitchen amber minutes"))
    kitchen_red_minutes = models.PositiveSmallIntegerField(default=10, verbose_name=_("kitchen red minutes"))

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["organization_id", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kitchen_red_minutes <= self.kitchen_amber_minutes:
            raise ValidationError({"kitchen_red_minutes": _("Red must come after amber.")})

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
    OWNER = "OWNER", _("Owner")
    MANAGER = "MANAGER", _("Manager")
    CASHIER = "CASHIER", _("Cashier")
    KITCHEN = "KITCHEN", _("Kitchen")


class Membership(models.Model):
    """A user's role at one location. An OWNER membership grants every location of the organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("location")
    )
    role = models.CharField(max_length=10, choices=Role.choices, verbose_name=_("role"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "location"], name="membership_unique_user_location")]
        ordering = ["location_id", "role", "user_id"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.location}"


class Terminal(models.Model):
    """A browser paired to a location; it holds a long-lived, revocable device credential in a cookie."""

    class Kind(models.TextChoices):
        POS = "POS", _("Point of sale")
        KITCHEN = "KITCHEN", _("Kitchen display")

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="terminals", verbose_name=_("location")
    )
    name = VisibleCharField(max_length=100, verbose_name=_("name"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POS, verbose_name=_("kind"))
    secret_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("secret hash"))
    paired_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("paired by"))
    paired_at = models.DateTimeField(default=timezone.now, verbose_name=_("paired at"))
    last_seen_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last seen at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        verbose_name = _("terminal")
        verbose_name_plural = _("terminals")
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

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("location")
    )
    name = VisibleCharField(max_length=100, verbose_name=_("name"))
    prefix = models.CharField(
        max_length=12, unique=True, editable=False, help_text=_("Identifies the key in logs."), verbose_name=_("prefix")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("key hash"))
    scopes = models.JSONField(default=list, verbose_name=_("scopes"))
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        verbose_name_plural = _("API keys")
        verbose_name = _("API key")
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

    terminal = models.ForeignKey(
        Terminal, on_delete=models.CASCADE, related_name="sign_ins", verbose_name=_("terminal")
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terminal_sign_ins", verbose_name=_("user"))
    signed_in_at = models.DateTimeField(default=timezone.now, verbose_name=_("signed in at"))

    class Meta:
        verbose_name = _("terminal sign in")
        verbose_name_plural = _("terminal sign ins")
        constraints = [models.UniqueConstraint(fields=["terminal", "user"], name="terminal_sign_in_unique")]

    def __str__(self):
        return f"{self.user} on {self.terminal} at {self.signed_in_at:%Y-%m-%d %H:%M}"
