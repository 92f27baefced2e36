"""Request bodies (checked for types here, for business rules by the services) and the documented shapes
of `orders.representations` (the one representation of orders, tickets, payments and shifts)."""

import datetime

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from cafepos.api.fields import MoneyField
from cafepos.api.params import MAX_ID
from cafepos.money import to_minor_units
from menu.models import Station
from orders.models import OrderStatus, OrderType, PaymentStatus, Tender, TicketStation, TicketStatus

# Requests ----------------------------------------------------------------------------------------------


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _version():
    return serializers.IntegerField(
        min_value=0, max_value=MAX_ID, help_text="The order's `version` as last read; a stale one is a 409."
    )


class CartLineSerializer(serializers.Serializer):
    menu_item_id = _id()
    quantity = serializers.IntegerField(default=1, min_value=1, max_value=MAX_ID)
    modifier_ids = serializers.ListField(child=_id(), required=False, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CustomerSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    phone = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    email = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    address = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class ManagerApprovalSerializer(serializers.Serializer):
    """A MANAGER or OWNER approving at the terminal with their own PIN (PIN lockouts apply)."""

    manager_id = _id()
    pin = serializers.CharField(max_length=6, trim_whitespace=False)


class DiscountSerializer(serializers.Serializer):
    """An amount or a percentage of the subtotal, with a reason. Above the location's approval threshold the
    caller must be a MANAGER or OWNER, or a terminal call carries a manager's `approval`."""

    amount = MoneyField(required=False, allow_null=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    approval = ManagerApprovalSerializer(required=False, allow_null=True)


class QuoteRequestSerializer(serializers.Serializer):
    location_id = _id(required=False, help_text="For callers with several locations (or use ?location=).")
    type = serializers.ChoiceField(choices=OrderType.choices)
    items = CartLineSerializer(many=True)
    discount = DiscountSerializer(required=False, allow_null=True)
    tip = MoneyField(required=False, allow_null=True)


class OrderCreateSerializer(QuoteRequestSerializer):
    table_id = _id(required=False, allow_null=True, help_text="Required for DINE_IN.")
    note = serializers.CharField(required=False, allow_blank=True)
    customer = CustomerSerializer(required=False, allow_null=True)
    source = serializers.CharField(
        required=False,
        max_length=50,
        help_text="POS, API or an integrator's name (default: POS for staff, API for keys).",
    )
    external_id = serializers.CharField(
        required=False, allow_null=True, max_length=100, help_text="Your id for the order, unique per source."
    )
    approval = ManagerApprovalSerializer(
        required=False, allow_null=True, help_text="A manager's PIN for a tip above the location's max_tip_percent."
    )


class OrderFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    type = serializers.ChoiceField(choices=OrderType.choices, required=False)
    table_id = _id(required=False)
    source = serializers.CharField(required=False, max_length=50)
    created_after = serializers.DateTimeField(required=False, help_text="ISO 8601 with an offset.")


class LinesAddSerializer(serializers.Serializer):
    items = CartLineSerializer(many=True)
    version = _version()


class LineVoidSerializer(serializers.Serializer):
    """A void that would leave the discount above the approval threshold carries a manager's `approval`."""

    reason = serializers.CharField(max_length=200)
    version = _version()
    approval = ManagerApprovalSerializer(required=False, allow_null=True)


class StatusSetSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[OrderStatus.SERVED, OrderStatus.CANCELLED])
    version = _version()


class DiscountSetSerializer(DiscountSerializer):
    """Send neither amount nor percent to remove the discount."""

    version = _version()


class PaymentAddSerializer(serializers.Serializer):
    tender = serializers.ChoiceField(choices=Tender.choices)
    amount = MoneyField(help_text="Minor units applied to the balance (cash above it is given back as change).")
    tip = MoneyField(required=False)
    tendered = MoneyField(required=False, allow_null=True, help_text="Cash handed over, in minor units.")
    card_last4 = serializers.CharField(required=False, allow_blank=True, max_length=4)
    terminal_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    check_number = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    shift_id = _id(required=False, allow_null=True, help_text="Default: the calling terminal's open shift.")
    approval = ManagerApprovalSerializer(
        required=False, allow_null=True, help_text="A manager's PIN for a tip above the location's max_tip_percent."
    )


class RefundSerializer(serializers.Serializer):
    payment_id = _id()
    amount = MoneyField()
    reason = serializers.CharField(max_length=200)


class ShiftOpenSerializer(serializers.Serializer):
    opening_float = MoneyField()
    terminal_id = _id(required=False, help_text="Default: the calling terminal.")


class CashMovementSerializer(serializers.Serializer):
    amount = MoneyField(signed=True, help_text="Minor units: positive puts cash in, negative takes it out.")
    reason = serializers.CharField(max_length=200)


class ShiftCloseSerializer(serializers.Serializer):
    counted_cash = MoneyField()


class TicketFilterSerializer(serializers.Serializer):
    station = serializers.ChoiceField(choices=TicketStation.choices, required=False)


# Responses (the shapes of orders.representations) -----------------------------------------------------


def _money(**kwargs):
    return serializers.IntegerField(help_text="Minor units of `currency`.", **kwargs)


def _time(**kwargs):
    return serializers.DateTimeField(help_text="ISO 8601 with the location's offset.", **kwargs)


class ModifierSnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    price_delta = _money()


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    menu_item_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = _money()
    modifiers = ModifierSnapshotSerializer(many=True)
    note = serializers.CharField(allow_blank=True)
    station = serializers.ChoiceField(choices=Station.choices)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    line_total = _money()
    voided = serializers.BooleanField()


class OrderCustomerSerializer(serializers.Serializer):
    name = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    address = serializers.CharField(allow_null=True)


ORDER_EXAMPLE = {
    "id": 1042, "number": "#0042", "location_id": 1, "business_day": "2026-11-28", "type": "DINE_IN",
    "source": "POS", "external_id": None, "table_id": 7, "status": "PREPARING", "payment_status": "UNPAID",
    "version": 3, "currency": "EUR", "customer": {"name": None, "phone": None, "email": None, "address": None},
    "note": "", "items": [{"id": 5001, "menu_item_id": 12, "name": "Flat white", "quantity": 2, "unit_price": 350,
    "modifiers": [{"id": 3, "name": "Oat milk", "price_delta": 50}], "note": "extra hot", "station": "BAR",
    "tax_rate": "10.00", "line_total": 800, "voided": False}], "subtotal": 800, "discount_total": 0,
    "tax_total": 73, "tip_total": 0, "total": 800, "paid_total": 0, "balance_due": 800, "receipt_number": None,
    "created_at": "2026-11-28T09:14:03+01:00", "updated_at": "2026-11-28T09:15:40+01:00",
}  # fmt: skip


@extend_schema_serializer(examples=[OpenApiExample("A dine-in order", value=ORDER_EXAMPLE, response_only=True)])
class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="Per location and business day, e.g. #0042.")
    location_id = serializers.IntegerField()
    business_day = serializers.DateField()
    type = serializers.ChoiceField(choices=OrderType.choices)
    source = serializers.CharField()
    external_id = serializers.CharField(allow_null=True)
    table_id = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices)
    version = serializers.IntegerField()
    currency = serializers.CharField()
    customer = OrderCustomerSerializer()
    note = serializers.CharField(allow_blank=True)
    items = OrderLineSerializer(many=True)
    subtotal = _money()
    discount_total = _money()
    tax_total = _money()
    tip_total = _money()
    total = _money()
    paid_total = _money()
    balance_due = _money()
    receipt_number = serializers.IntegerField(allow_null=True)
    created_at = _time()
    updated_at = _time()


class QuoteLineSerializer(serializers.Serializer):
    menu_item_id = serializers.IntegerField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = _money()
    modifiers = ModifierSnapshotSerializer(many=True)
    note = serializers.CharField(allow_blank=True)
    station = serializers.ChoiceField(choices=Station.choices)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    line_total = _money()


class TaxAmountSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = _money()


class QuoteSerializer(serializers.Serializer):
    currency = serializers.CharField()
    type = serializers.ChoiceField(choices=OrderType.choices)
    items = QuoteLineSerializer(many=True)
    subtotal = _money()
    discount_total = _money()
    tax_total = _money()
    taxes = TaxAmountSerializer(many=True)
    tip_total = _money()
    total = _money()


class TicketLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    modifiers = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(allow_blank=True)
    voided = serializers.BooleanField(help_text="Shown struck out as VOID.")


class TicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.IntegerField()
    order_number = serializers.CharField()
    order_type = serializers.ChoiceField(choices=OrderType.choices)
    order_status = serializers.ChoiceField(choices=OrderStatus.choices)
    table_id = serializers.IntegerField(allow_null=True)
    location_id = serializers.IntegerField()
    station = serializers.ChoiceField(choices=TicketStation.choices)
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    items = TicketLineSerializer(many=True)
    created_at = _time()
    started_at = _time(allow_null=True)
    done_at = _time(allow_null=True)
    updated_at = _time()


class TicketListSerializer(serializers.Serializer):
    results = TicketSerializer(many=True)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.IntegerField()
    tender = serializers.ChoiceField(choices=Tender.choices)
    currency = serializers.CharField()
    amount = _money()
    tip = _money()
    tendered = _money(allow_null=True)
    change_due = _money()
    card_last4 = serializers.CharField(allow_null=True)
    terminal_reference = serializers.CharField(allow_null=True)
    reference = serializers.CharField(allow_null=True)
    check_number = serializers.IntegerField(allow_null=True)
    refunded_amount = _money()
    shift_id = serializers.IntegerField(allow_null=True)
    staff_id = serializers.IntegerField(allow_null=True)
    created_at = _time()


class PaymentResultSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    order = OrderSerializer()


class RefundDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    payment_id = serializers.IntegerField()
    amount = _money()
    currency = serializers.CharField()
    reason = serializers.CharField()
    staff_id = serializers.IntegerField(allow_null=True)
    shift_id = serializers.IntegerField(allow_null=True)
    created_at = _time()


class RefundResultSerializer(serializers.Serializer):
    refund = RefundDetailSerializer()
    order = OrderSerializer()


class TenderTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = _money()
    tips = _money()


class RefundTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = _money()


class TenderBreakdownSerializer(serializers.Serializer):
    CASH = TenderTotalsSerializer()
    CARD = TenderTotalsSerializer()
    OTHER = TenderTotalsSerializer()


class RefundBreakdownSerializer(serializers.Serializer):
    CASH = RefundTotalsSerializer()
    CARD = RefundTotalsSerializer()
    OTHER = RefundTotalsSerializer()


class SalesTotalsSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    subtotal = _money()
    discount_total = _money()
    tax_total = _money()
    total = _money()


class ZReportSerializer(serializers.Serializer):
    currency = serializers.CharField()
    shift_id = serializers.IntegerField()
    terminal_id = serializers.IntegerField()
    opened_at = _time()
    closed_at = _time()
    opening_float = _money()
    tenders = TenderBreakdownSerializer()
    tips_total = _money()
    refunds = RefundBreakdownSerializer()
    refunds_total = _money()
    cash_in = _money()
    cash_out = _money()
    expected_cash = _money()
    counted_cash = _money()
    variance = _money()
    sales = SalesTotalsSerializer()
    tax_by_rate = serializers.DictField(child=_money(), help_text="Tax per rate (decimal string keys).")
    discounts = RefundTotalsSerializer()
    voids = RefundTotalsSerializer()


class ShiftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    terminal_id = serializers.IntegerField()
    currency = serializers.CharField()
    opened_by_id = serializers.IntegerField()
    opened_at = _time()
    opening_float = _money()
    closed_by_id = serializers.IntegerField(allow_null=True)
    closed_at = _time(allow_null=True)
    counted_cash = _money(allow_null=True)
    expected_cash = _money(allow_null=True)
    variance = _money(allow_null=True)
    z_report = ZReportSerializer(allow_null=True, help_text="Present once the shift is closed.")


class CashMovementResultSerializer(serializers.Serializer):
    """A cash movement (read from a CashMovement with `shift__location` loaded)."""

    id = serializers.IntegerField()
    shift_id = serializers.IntegerField()
    amount = serializers.SerializerMethodField(help_text="Minor units: positive in, negative out.")
    currency = serializers.CharField(source="shift.location.currency")
    reason = serializers.CharField()
    staff_id = serializers.IntegerField()
    created_at = serializers.SerializerMethodField(help_text="ISO 8601 with the location's offset.")

    def get_amount(self, movement) -> int:
        return to_minor_units(movement.amount, movement.shift.location.currency)

    def get_created_at(self, movement) -> datetime.datetime:
        return movement.created_at.astimezone(movement.shift.location.zone).isoformat()


class TableSerializer(serializers.Serializer):
    table_id = serializers.IntegerField()
    label = serializers.CharField()
    area_id = serializers.IntegerField()
    seats = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["FREE", "OCCUPIED", "NEEDS_ATTENTION"])
    open_order_ids = serializers.ListField(child=serializers.IntegerField())


class TableListSerializer(serializers.Serializer):
    results = TableSerializer(many=True)
