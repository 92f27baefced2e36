"""Orders, their lines and kitchen tickets, payments and refunds, and the cash-drawer shifts they land in.

Rows here are never deleted: lines are voided, orders cancelled, payments refunded, so the books add up.
Every write goes through `orders.services`; money is Decimal rounded to the location's currency.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Location, Terminal
from cafepos.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, SUM_MAX_DIGITS
from cafepos.text import VisibleCharField, VisibleEmailField, VisibleTextField
from menu.models import MenuItem, Modifier
from tables.models import Table


def money_field(**kwargs) -> models.DecimalField:
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs)


def share_field(**kwargs) -> models.DecimalField:
    """A discount's share of a subtotal in percent, to four places (an amount's share is rounded up to it)."""
    return models.DecimalField(max_digits=7, decimal_places=4, **kwargs)


def sum_field(**kwargs) -> models.DecimalField:
    """A sum over many orders (a drawer, a day): wider than `money_field`, since each part may reach `MONEY_MAX`."""
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(max_digits=SUM_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs)


def rate_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=5, decimal_places=2, **kwargs)


class OrderType(models.TextChoices):
    DINE_IN = "DINE_IN", "Dine in"
    TAKEAWAY = "TAKEAWAY", "Takeaway"
    DELIVERY = "DELIVERY", "Delivery"


class OrderStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    PREPARING = "PREPARING", "Preparing"
    READY = "READY", "Ready"
    SERVED = "SERVED", "Served"
    COMPLETED = "COMPLETED", "Completed"
    CANCELLED = "CANCELLED", "Cancelled"


OPEN_ORDER_STATUSES = (OrderStatus.PENDING, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.SERVED)


class PaymentStatus(models.TextChoices):
    UNPAID = "UNPAID", "Unpaid"
    PARTIALLY_PAID = "PARTIALLY_PAID", "Partially paid"
    PAID = "PAID", "Paid"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED", "Partially refunded"
    REFUNDED = "REFUNDED", "Refunded"


class TicketStation(models.TextChoices):
    KITCHEN = "KITCHEN", "Kitchen"
    BAR = "BAR", "Bar"


class TicketStatus(models.TextChoices):
    NEW = "NEW", "New"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    DONE = "DONE", "Done"


class Tender(models.TextChoices):
    CASH = "CASH", "Cash"
    CARD = "CARD", "Card (separate terminal)"
    OTHER = "OTHER", "Other (voucher, account)"


class Shift(models.Model):
    """A terminal's cash drawer from opening float to counted close; its Z report is frozen at close."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="shifts")
    terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT, related_name="shifts")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opening_float = money_field()
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    counted_cash = money_field(null=True, blank=True, default=None)
    expected_cash = sum_field(null=True, blank=True, default=None)
    variance = sum_field(null=True, blank=True, default=None)
    z_report = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["terminal"], condition=Q(closed_at__isnull=True), name="orders_shift_one_open_per_terminal"
            )
        ]
        indexes = [models.Index(fields=["location", "opened_at"], name="orders_shift_location_opened")]

    def __str__(self):
        return f"Shift {self.pk} on {self.terminal.name}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Order(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="orders")
    type = models.CharField(max_length=10, choices=OrderType.choices)
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="orders", null=True, blank=True)
    source = VisibleCharField(max_length=50, default="POS", help_text="POS, API, or an integrator's name.")
    external_id = VisibleCharField(max_length=100, null=True, blank=True, help_text="The integrator's own id.")
    customer_name = VisibleCharField(max_length=150, null=True, blank=True)
    customer_phone = VisibleCharField(max_length=40, null=True, blank=True)
    customer_email = VisibleEmailField(null=True, blank=True)
    customer_address = VisibleTextField(null=True, blank=True)
    customer_erased_at = models.DateTimeField(null=True, blank=True)
    note = VisibleTextField(blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders_taken",
        null=True,
        blank=True,
        help_text="Who took the order; empty for an integrator's order.",
    )
    terminal = models.ForeignKey(Terminal, on_delete=models.SET_NULL, related_name="orders", null=True, blank=True)
    business_day = models.DateField()
    # Null only inside the transaction that creates the order: numbered last, under the location lock.
    number = models.PositiveIntegerField(
        null=True, help_text="Per location and business day, gap-free, shown as #0001."
    )
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    payment_status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID)
    version = models.PositiveIntegerField(default=1)

    discount_amount = money_field(null=True, blank=True, default=None, help_text="A fixed order discount.")
    discount_percent = rate_field(null=True, blank=True, help_text="Or a percentage of the subtotal.")
    discount_reason = VisibleCharField(max_length=200, blank=True)
    discount_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    discount_approved_share = share_field(
        null=True, blank=True, help_text="The largest share of the subtotal (percent) a manager approved for it."
    )
    # Totals, recomputed by the services on every change (stored for lists and reports).
    subtotal = money_field()
    discount_total = money_field()
    tax_total = money_field()
    tip_total = money_field(help_text="The tip given with the order plus the tips of its payments.")
    total = money_field()
    paid_total = money_field(help_text="Payments (with their tips) minus refunds.")
    refunded_total = money_field()

    receipt_number = models.PositiveIntegerField(null=True, blank=True, help_text="Sequential per location.")
    settled_shift = models.ForeignKey(
        Shift,
        on_delete=models.PROTECT,
        related_name="settled_orders",
        null=True,
        blank=True,
        help_text="The shift in which the order was fully paid; its Z report counts the sale.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["location", "business_day", "number"], name="orders_order_unique_number"),
            models.UniqueConstraint(
                fields=["location", "receipt_number"],
                condition=Q(receipt_number__isnull=False),
                name="orders_order_unique_receipt",
            ),
            models.UniqueConstraint(
                fields=["location", "source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="orders_order_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "-created_at", "-id"], name="orders_order_location_created"),
            # A status-filtered list, newest first, is one range scan however the statuses mix.
            models.Index(fields=["location", "status", "-created_at", "-id"], name="orders_order_status_list"),
            models.Index(fields=["table", "status"], name="orders_order_table_status"),
            # Reports join a range of business days to their lines from this index alone (index-only scan).
            models.Index(
                fields=["location", "business_day"],
                include=["id", "status", "discount_total"],
                name="orders_order_report_day",
            ),
        ]

    def __str__(self):
        return f"{self.display_number} ({self.business_day})"

    @property
    def display_number(self) -> str:
        return f"#{self.number:04d}"

    @property
    def balance_due(self) -> Decimal:
        return self.total - self.paid_total


class Ticket(models.Model):
    """What one station (kitchen or bar) has to make for one send of an order."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="tickets")
    station = models.CharField(max_length=10, choices=TicketStation.choices)
    status = models.CharField(max_length=12, choices=TicketStatus.choices, default=TicketStatus.NEW)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["station", "status"], name="orders_ticket_station_status")]

    def __str__(self):
        return f"Ticket {self.pk} ({self.station}, {self.status})"


class OrderLine(models.Model):
    """One item as sold: name, price, tax rate and station are copies, so menu changes never alter it."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    menu_item = models.ForeignKey(MenuItem, on_delete=models.SET_NULL, null=True, related_name="+")
    name = VisibleCharField(max_length=150)
    unit_price = money_field()
    tax_rate = rate_field(help_text="Percent.")
    station = models.CharField(max_length=10, help_text="KITCHEN, BAR or NONE, as the item had it.")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    line_total = money_field(help_text="(unit price + modifier deltas) × quantity.")
    note = VisibleCharField(max_length=200, blank=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="lines")
    voided = models.BooleanField(default=False)
    void_reason = VisibleCharField(max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_line_quantity_positive")]
        indexes = [  # the few voided lines, for reports
            models.Index(fields=["order"], condition=Q(voided=True), name="orders_line_voided"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.name}"


class OrderLineModifier(models.Model):
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="modifiers")
    modifier = models.ForeignKey(Modifier, on_delete=models.SET_NULL, null=True, related_name="+")
    name = VisibleCharField(max_length=100)
    price_delta = money_field()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class StatusChange(models.Model):
    """The audit trail of every order and ticket transition."""

    class Subject(models.TextChoices):
        ORDER = "ORDER", "Order"
        TICKET = "TICKET", "Ticket"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=6, choices=Subject.choices)
    subject_id = models.BigIntegerField()
    from_status = models.CharField(max_length=12, blank=True, help_text="Empty when the object was created.")
    to_status = models.CharField(max_length=12)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    automatic = models.BooleanField(default=False, help_text="Made by the system as a result of another action.")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["subject", "subject_id"], name="orders_statuschange_subject")]

    def __str__(self):
        return f"{self.subject} {self.subject_id}: {self.from_status or '∅'} → {self.to_status}"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    tender = models.CharField(max_length=5, choices=Tender.choices)
    amount = money_field(help_text="Applied to the order's balance.")
    tip = money_field()
    tendered = money_field(null=True, blank=True, default=None, help_text="Cash handed over.")
    change_due = money_field()
    card_last4 = VisibleCharField(max_length=4, blank=True)
    terminal_reference = VisibleCharField(max_length=100, blank=True, help_text="The card terminal's reference.")
    reference = VisibleCharField(max_length=100, blank=True, help_text="Voucher or account reference.")
    check_number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The split check it pays, if any.")
    refunded_amount = money_field()
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="payments", null=True, blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.tender} {self.amount} on order {self.order_id}"

    @property
    def refundable(self) -> Decimal:
        return self.amount + self.tip - self.refunded_amount


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = money_field()
    reason = VisibleCharField(max_length=200)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="refunds", null=True, blank=True)
    terminal_reference = VisibleCharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Refund {self.amount} of payment {self.payment_id}"


class CashMovement(models.Model):
    """Cash put into (positive) or taken out of (negative) a drawer outside of sales."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="cash_movements")
    amount = money_field()
    reason = VisibleCharField(max_length=200)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.amount} ({self.reason})"


class DiscountApproval(models.Model):
    """A manager's approval of an order discount above the location's threshold: who, when, which discount and the
    share of the subtotal it then was. The order keeps the share (`discount_approved_share`) that later changes
    must stay within."""

    class Cause(models.TextChoices):
        CREATE = "CREATE", "Order taken"
        DISCOUNT = "DISCOUNT", "Discount set"
        VOID = "VOID", "Item voided"
        BACKFILL = "BACKFILL", "Recorded before approvals were kept"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="discount_approvals")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    share = share_field()
    amount = money_field(null=True, blank=True, default=None)
    percent = rate_field(null=True, blank=True)
    subtotal = money_field()
    cause = models.CharField(max_length=10, choices=Cause.choices)

    class Meta:
        ordering = ["approved_at", "id"]

    def __str__(self):
        return f"{self.share}% on order {self.order_id} by {self.approved_by_id}"
