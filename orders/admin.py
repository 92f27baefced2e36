"""Orders, tickets, payments and shifts in the back office: read-only (only the services write them)."""

from django.contrib import admin

from accounts.admin_scoping import LocationScopedAdmin, LocationScopedInline
from cafepos.admin_money import MoneyFieldsAdmin

from .models import CashMovement, DiscountApproval, Order, OrderLine, Payment, Refund, Shift, StatusChange, Ticket


class ReadOnly:
    """Viewing follows the location scoping; adding, changing and deleting are for the services only."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EveryFieldReadOnly(ReadOnly):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class ReadOnlyInline(MoneyFieldsAdmin, EveryFieldReadOnly, LocationScopedInline):
    can_delete = False
    money_location = "order.location"


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("name", "quantity", "unit_price", "line_total", "tax_rate", "station", "ticket", "voided", "void_reason")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("tender", "amount", "tip", "refunded_amount", "card_last4", "shift", "staff", "created_at")


class DiscountApprovalInline(ReadOnlyInline):
    model = DiscountApproval
    fields = ("approved_at", "approved_by", "share", "amount", "percent", "subtotal", "cause")


class ScopedReadOnlyAdmin(MoneyFieldsAdmin, EveryFieldReadOnly, LocationScopedAdmin):
    pass


@admin.register(Order)
class OrderAdmin(ScopedReadOnlyAdmin):
    list_display = ("display_number", "business_day", "location", "type", "status", "payment_status", "total")
    list_filter = ("status", "payment_status", "type", "source", "location")
    search_fields = ("external_id", "customer_name", "customer_phone")
    date_hierarchy = "created_at"
    list_select_related = ("location",)
    inlines = [OrderLineInline, PaymentInline, DiscountApprovalInline]


@admin.register(Ticket)
class TicketAdmin(ScopedReadOnlyAdmin):
    location_field = "order__location"
    list_display = ("id", "order", "station", "status", "created_at", "started_at", "done_at")
    list_filter = ("station", "status")
    list_select_related = ("order",)


@admin.register(Payment)
class PaymentAdmin(ScopedReadOnlyAdmin):
    location_field = "order__location"
    money_location = "order.location"
    list_display = ("id", "order", "tender", "amount", "tip", "refunded_amount", "shift", "created_at")
    list_filter = ("tender",)
    list_select_related = ("order__location",)


@admin.register(Refund)
class RefundAdmin(ScopedReadOnlyAdmin):
    location_field = "payment__order__location"
    money_location = "payment.order.location"
    list_display = ("id", "payment", "amount", "reason", "staff", "shift", "created_at")
    list_select_related = ("payment__order__location", "staff", "shift")


class CashMovementInline(ReadOnlyInline):
    model = CashMovement
    money_location = "shift.location"


@admin.register(Shift)
class ShiftAdmin(ScopedReadOnlyAdmin):
    list_display = ("id", "terminal", "opened_at", "closed_at", "opening_float", "expected_cash", "variance")
    list_filter = ("location",)
    list_select_related = ("terminal", "location")
    inlines = [CashMovementInline]


@admin.register(StatusChange)
class StatusChangeAdmin(ScopedReadOnlyAdmin):
    list_display = ("subject", "subject_id", "from_status", "to_status", "changed_by", "automatic", "changed_at")
    list_filter = ("subject", "to_status")
