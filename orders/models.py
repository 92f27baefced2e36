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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    DINE_IN = "DINE_IN", _("Dine in")
    TAKEAWAY = "TAKEAWAY", _("Takeaway")
    DELIVERY = "DELIVERY", _("Delivery")


class OrderStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    PREPARING = "PREPARING", _("Preparing")
    READY = "READY", _("Ready")
    SERVED = "SERVED", _("Served")
    COMPLETED = "COMPLETED", _("Completed")
    CANCELLED = "CANCELLED", _("Cancelled")


OPEN_ORDER_STATUSES = (OrderStatus.PENDING, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.SERVED)


class PaymentStatus(models.TextChoices):
    UNPAID = "UNPAID", _("Unpaid")
    PARTIALLY_PAID = "PARTIALLY_PAID", _("Partially paid")
    PAID = "PAID", _("Paid")
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED", _("Partially refunded")
    REFUNDED = "REFUNDED", _("Refunded")


class TicketStation(models.TextChoices):
    KITCHEN = "KITCHEN", _("Kitchen")
    BAR = "BAR", _("Bar")


class TicketStatus(models.TextChoices):
    NEW = "NEW", _("New")
    IN_PROGRESS = "IN_PROGRESS", _("In progress")
    DONE = "DONE", _("Done")


class Tender(models.TextChoices):
    CASH = "CASH", _("Cash")
    CARD = "CARD", _("Card (separate terminal)")
    OTHER = "OTHER", _("Other (voucher, account)")


class Shift(models.Model):
    """A terminal's cash drawer from opening float to counted close; its Z report is frozen at close."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("location"))
    terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("terminal"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opening_float = money_field(verbose_name=_("opening float"))
    opened_at = models.DateTimeField(default=timezone.now, verbose_name=_("opened at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    counted_cash = money_field(null=True, blank=True, default=None, verbose_name=_("counted cash"))
    expected_cash = sum_field(null=True, blank=True, default=None, verbose_name=_("expected cash"))
    variance = sum_field(null=True, blank=True, default=None, verbose_name=_("variance"))
    z_report = models.JSONField(null=True, blank=True, verbose_name=_("z report"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
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
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="orders", verbose_name=_("location"))
    type = models.CharField(max_length=10, choices=OrderType.choices, verbose_name=_("type"))
    table = models.ForeignKey(
        Table, on_delete=models.PROTECT, related_name="orders", null=True, blank=True, verbose_name=_("table")
    )
    source = VisibleCharField(
        max_length=50, default="POS", help_text=_("POS, API, or an integrator's name."), verbose_name=_("source")
    )
    external_id = VisibleCharField(
        max_length=100, null=True, blank=True, help_text=_("The integrator's own id."), verbose_name=_("external id")
    )
    customer_name = VisibleCharField(max_length=150, null=True, blank=True, verbose_name=_("customer name"))
    customer_phone = VisibleCharField(max_length=40, null=True, blank=True, verbose_name=_("customer phone"))
    customer_email = VisibleEmailField(null=True, blank=True, verbose_name=_("customer email"))
    customer_address = VisibleTextField(null=True, blank=True, verbose_name=_("customer address"))
    customer_erased_at = models.DateTimeField(null=True, blank=True, verbose_name=_("customer erased at"))
    note = VisibleTextField(blank=True, verbose_name=_("note"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders_taken",
        null=True,
        blank=True,
        help_text=_("Who took the order; empty for an integrator's order."),
        verbose_name=_("staff"),
    )
    terminal = models.ForeignKey(
        Terminal, on_delete=models.SET_NULL, related_name="orders", null=True, blank=True, verbose_name=_("terminal")
    )
    business_day = models.DateField(verbose_name=_("business day"))
    # Null only inside the transaction that creates the order: numbered last, under the location lock.
    number = models.PositiveIntegerField(
        null=True, help_text=_("Per location and business day, gap-free, shown as #0001."), verbose_name=_("number")
    )
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING, verbose_name=_("status")
    )
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID, verbose_name=_("payment status")
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))

    discount_amount = money_field(
        null=True, blank=True, default=None, help_text=_("A fixed order discount."), verbose_name=_("discount amount")
    )
    discount_percent = rate_field(
        null=True, blank=True, help_text=_("Or a percentage of the subtotal."), verbose_name=_("discount percent")
    )
    discount_reason = VisibleCharField(max_length=200, blank=True, verbose_name=_("discount reason"))
    discount_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("discount approved by"),
    )
    discount_approved_share = share_field(
        null=True,
        blank=True,
        help_text=_("The largest share of the subtotal (percent) a manager approved for it."),
        verbose_name=_("discount approved share"),
    )
    # Totals, recomputed by the services on every change (stored for lists and reports).
    subtotal = money_field(verbose_name=_("subtotal"))
    discount_total = money_field(verbose_name=_("discount total"))
    tax_total = money_field(verbose_name=_("tax total"))
    tip_total = money_field(
        help_text=_("The tip given with the order plus the tips of its payments."), verbose_name=_("tip total")
    )
    total = money_field(verbose_name=_("total"))
    paid_total = money_field(help_text=_("Payments (with their tips) minus refunds."), verbose_name=_("paid total"))
    refunded_total = money_field(verbose_name=_("refunded total"))

    receipt_number = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Sequential per location."), verbose_name=_("receipt number")
    )
    settled_shift = models.ForeignKey(
        Shift,
        on_delete=models.PROTECT,
        related_name="settled_orders",
        null=True,
        blank=True,
        help_text=_("The shift in which the order was fully paid; its Z report counts the sale."),
        verbose_name=_("settled shift"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
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

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("order"))
    station = models.CharField(max_length=10, choices=TicketStation.choices, verbose_name=_("station"))
    status = models.CharField(
        max_length=12, choices=TicketStatus.choices, default=TicketStatus.NEW, verbose_name=_("status")
    )
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["station", "status"], name="orders_ticket_station_status"),
            # The Done column's read (`selectors.recently_done_tickets`): newest bumps first, never the history.
            models.Index(
                fields=["station", "-done_at"],
                name="orders_ticket_station_done",
                condition=Q(status="DONE"),
            ),
        ]

    def __str__(self):
        return f"Ticket {self.pk} ({self.station}, {self.status})"


class OrderLine(models.Model):
    """One item as sold: name, price, tax rate and station are copies, so menu changes never alter it."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines", verbose_name=_("order"))
    menu_item = models.ForeignKey(
        MenuItem, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("menu item")
    )
    name = VisibleCharField(max_length=150, verbose_name=_("name"))
    unit_price = money_field(verbose_name=_("unit price"))
    tax_rate = rate_field(help_text=_("Percent."), verbose_name=_("tax rate"))
    station = models.CharField(
        max_length=10, help_text=_("KITCHEN, BAR or NONE, as the item had it."), verbose_name=_("station")
    )
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)], verbose_name=_("quantity"))
    line_total = money_field(help_text=_("(unit price + modifier deltas) × quantity."), verbose_name=_("line total"))
    note = VisibleCharField(max_length=200, blank=True, verbose_name=_("note"))
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="lines", verbose_name=_("ticket")
    )
    voided = models.BooleanField(default=False, verbose_name=_("voided"))
    void_reason = VisibleCharField(max_length=200, blank=True, verbose_name=_("void reason"))
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("voided by"),
    )
    void_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The manager who approved voiding an item the kitchen already had, where the location asks."),
        verbose_name=_("void approved by"),
    )
    voided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("voided at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_line_quantity_positive")]
        indexes = [  # the few voided lines, for reports
            models.Index(fields=["order"], condition=Q(voided=True), name="orders_line_voided"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.name}"


class OrderLineModifier(models.Model):
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="modifiers", verbose_name=_("line"))
    modifier = models.ForeignKey(
        Modifier, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("modifier")
    )
    name = VisibleCharField(max_length=100, verbose_name=_("name"))
    price_delta = money_field(verbose_name=_("price delta"))

    class Meta:
        verbose_name = _("order line modifier")
        verbose_name_plural = _("order line modifiers")
        ordering = ["id"]

    def __str__(self):
        return self.name


class StatusChange(models.Model):
    """The audit trail of every order and ticket transition."""

    class Subject(models.TextChoices):
        ORDER = "ORDER", _("Order")
        TICKET = "TICKET", _("Ticket")

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location"))
    subject = models.CharField(max_length=6, choices=Subject.choices, verbose_name=_("subject"))
    subject_id = models.BigIntegerField(verbose_name=_("subject id"))
    from_status = models.CharField(
        max_length=12, blank=True, help_text=_("Empty when the object was created."), verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=12, verbose_name=_("to status"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("changed by"),
    )
    automatic = models.BooleanField(
        default=False, help_text=_("Made by the system as a result of another action."), verbose_name=_("automatic")
    )
    changed_at = models.DateTimeField(default=timezone.now, verbose_name=_("changed at"))
    reason = VisibleCharField(
        max_length=200, blank=True, help_text=_("Why, when a person cancels an order."), verbose_name=_("reason")
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["subject", "subject_id"], name="orders_statuschange_subject")]

    def __str__(self):
        return f"{self.subject} {self.subject_id}: {self.from_status or '∅'} → {self.to_status}"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("order"))
    tender = models.CharField(max_length=5, choices=Tender.choices, verbose_name=_("tender"))
    amount = money_field(help_text=_("Applied to the order's balance."), verbose_name=_("amount"))
    tip = money_field(verbose_name=_("tip"))
    tendered = money_field(
        null=True, blank=True, default=None, help_text=_("Cash handed over."), verbose_name=_("tendered")
    )
    change_due = money_field(verbose_name=_("change due"))
    card_last4 = VisibleCharField(max_length=4, blank=True, verbose_name=_("card last4"))
    terminal_reference = VisibleCharField(
        max_length=100, blank=True, help_text=_("The card terminal's reference."), verbose_name=_("terminal reference")
    )
    reference = VisibleCharField(
        max_length=100, blank=True, help_text=_("Voucher or account reference."), verbose_name=_("reference")
    )
    check_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The split check it pays, if any."), verbose_name=_("check number")
    )
    refunded_amount = money_field(verbose_name=_("refunded amount"))
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="payments", null=True, blank=True, verbose_name=_("shift")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]

    def __str__(self):
        # No amount: a title or a column cannot know the location's currency; the amount has its own field.
        return gettext("%(tender)s payment %(id)s on order %(order)s") % {
            "tender": self.get_tender_display(),
            "id": self.pk,
            "order": self.order_id,
        }

    @property
    def refundable(self) -> Decimal:
        return self.amount + self.tip - self.refunded_amount


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment"))
    amount = money_field(verbose_name=_("amount"))
    reason = VisibleCharField(max_length=200, verbose_name=_("reason"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff")
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="refunds", null=True, blank=True, verbose_name=_("shift")
    )
    terminal_reference = VisibleCharField(max_length=100, blank=True, verbose_name=_("terminal reference"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "id"]

    def __str__(self):
        return gettext("Refund %(id)s of payment %(payment)s") % {"id": self.pk, "payment": self.payment_id}


class CashMovement(models.Model):
    """Cash put into (positive) or taken out of (negative) a drawer outside of sales."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="cash_movements", verbose_name=_("shift"))
    amount = money_field(verbose_name=_("amount"))
    reason = VisibleCharField(max_length=200, verbose_name=_("reason"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("cash movement")
        verbose_name_plural = _("cash movements")
        ordering = ["created_at", "id"]

    def __str__(self):
        return gettext("Cash movement %(id)s (%(reason)s)") % {"id": self.pk, "reason": self.reason}


class DiscountApproval(models.Model):
    """A manager's approval of an order discount above the location's threshold: who, when, which discount and the
    share of the subtotal it then was. The order keeps the share (`discount_approved_share`) that later changes
    must stay within."""

    class Cause(models.TextChoices):
        CREATE = "CREATE", _("Order taken")
        DISCOUNT = "DISCOUNT", _("Discount set")
        VOID = "VOID", _("Item voided")
        BACKFILL = "BACKFILL", _("Recorded before approvals were kept")

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="discount_approvals", verbose_name=_("order")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(default=timezone.now, verbose_name=_("approved at"))
    share = share_field(verbose_name=_("share"))
    amount = money_field(null=True, blank=True, default=None, verbose_name=_("amount"))
    percent = rate_field(null=True, blank=True, verbose_name=_("percent"))
    subtotal = money_field(verbose_name=_("subtotal"))
    cause = models.CharField(max_length=10, choices=Cause.choices, verbose_name=_("cause"))

    class Meta:
        verbose_name = _("discount approval")
        verbose_name_plural = _("discount approvals")
        ordering = ["approved_at", "id"]

    def __str__(self):
        return f"{self.share}% on order {self.order_id} by {self.approved_by_id}"
