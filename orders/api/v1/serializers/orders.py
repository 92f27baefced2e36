"""Order requests (checked for shape and limits here, for business rules by the services) and the documented
shapes of orders and quotes in `orders.representations`."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from cafepos.api.fields import MoneyField
from cafepos.api.params import MAX_ID
from menu.models import Station
from orders.models import OrderStatus, OrderType, PaymentStatus

from .fields import id_field, money_field, time_field, version_field

# Requests ----------------------------------------------------------------------------------------------


class CartLineSerializer(serializers.Serializer):
    menu_item_id = id_field()
    quantity = serializers.IntegerField(default=1, min_value=1, max_value=MAX_ID)
    modifier_ids = serializers.ListField(child=id_field(), required=False, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CustomerSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    phone = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    email = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    address = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class ManagerApprovalSerializer(serializers.Serializer):
    """A MANAGER or OWNER approving at the terminal with their own PIN (PIN lockouts apply)."""

    manager_id = id_field()
    pin = serializers.CharField(max_length=6, trim_whitespace=False)


class DiscountSerializer(serializers.Serializer):
    """An amount or a percentage of the subtotal, with a reason. Above the location's approval threshold the
    caller must be a MANAGER or OWNER, or a terminal call carries a manager's `approval`."""

    amount = MoneyField(required=False, allow_null=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    approval = ManagerApprovalSerializer(required=False, allow_null=True)


class QuoteRequestSerializer(serializers.Serializer):
    location_id = id_field(required=False, help_text="For callers with several locations (or use ?location=).")
    type = serializers.ChoiceField(choices=OrderType.choices)
    items = CartLineSerializer(many=True)
    discount = DiscountSerializer(required=False, allow_null=True)
    tip = MoneyField(required=False, allow_null=True)


class OrderCreateSerializer(QuoteRequestSerializer):
    table_id = id_field(required=False, allow_null=True, help_text="Required for DINE_IN.")
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
    table_id = id_field(required=False)
    source = serializers.CharField(required=False, max_length=50)
    created_after = serializers.DateTimeField(required=False, help_text="ISO 8601 with an offset.")


class LinesAddSerializer(serializers.Serializer):
    items = CartLineSerializer(many=True)
    version = version_field()


class LineVoidSerializer(serializers.Serializer):
    """A void that would leave the discount above the approval threshold carries a manager's `approval`."""

    reason = serializers.CharField(max_length=200)
    version = version_field()
    approval = ManagerApprovalSerializer(required=False, allow_null=True)


class StatusSetSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[OrderStatus.SERVED, OrderStatus.CANCELLED])
    version = version_field()


class DiscountSetSerializer(DiscountSerializer):
    """Send neither amount nor percent to remove the discount."""

    version = version_field()


# Responses ---------------------------------------------------------------------------------------------


class ModifierSnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    price_delta = money_field()


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    menu_item_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = money_field()
    modifiers = ModifierSnapshotSerializer(many=True)
    note = serializers.CharField(allow_blank=True)
    station = serializers.ChoiceField(choices=Station.choices)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    line_total = money_field()
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
    subtotal = money_field()
    discount_total = money_field()
    tax_total = money_field()
    tip_total = money_field()
    total = money_field()
    paid_total = money_field()
    balance_due = money_field()
    receipt_number = serializers.IntegerField(allow_null=True)
    created_at = time_field()
    updated_at = time_field()


class QuoteLineSerializer(serializers.Serializer):
    menu_item_id = serializers.IntegerField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = money_field()
    modifiers = ModifierSnapshotSerializer(many=True)
    note = serializers.CharField(allow_blank=True)
    station = serializers.ChoiceField(choices=Station.choices)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    line_total = money_field()


class TaxAmountSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = money_field()


class QuoteSerializer(serializers.Serializer):
    currency = serializers.CharField()
    type = serializers.ChoiceField(choices=OrderType.choices)
    items = QuoteLineSerializer(many=True)
    subtotal = money_field()
    discount_total = money_field()
    tax_total = money_field()
    taxes = TaxAmountSerializer(many=True)
    tip_total = money_field()
    total = money_field()
