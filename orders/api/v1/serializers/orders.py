"""Order requests (checked for shape and limits here, for business rules by the services) and the documented
shapes of orders and quotes in `orders.representations`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from cafepos.api.fields import MoneyField
from cafepos.exceptions import ApplicationError
from menu.models import Station
from orders.limits import (
    CUSTOMER_FIELDS,
    MAX_CART_LINES,
    MAX_EXTERNAL_ID,
    MAX_LINE_NOTE,
    MAX_MODIFIERS,
    MAX_QUANTITY,
    MAX_REASON,
    MAX_SOURCE,
)
from orders.models import OrderStatus, OrderType, PaymentStatus
from orders.services.inputs import CartItem, CustomerDetails, ManagerApproval

from .fields import VisibleTextField, id_field, money_field, time_field, version_field

# Requests ----------------------------------------------------------------------------------------------


class CartLineSerializer(serializers.Serializer):
    # One cart line, handed to the services as a `CartItem` (a comment: a docstring would show in the schema).

    menu_item_id = id_field()
    quantity = serializers.IntegerField(default=1, min_value=1, max_value=MAX_QUANTITY)
    modifier_ids = serializers.ListField(child=id_field(), required=False, max_length=MAX_MODIFIERS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_LINE_NOTE)

    def validate(self, attrs) -> CartItem:
        return CartItem(
            menu_item_id=attrs["menu_item_id"],
            quantity=attrs["quantity"],
            modifier_ids=tuple(attrs.get("modifier_ids", ())),
            note=attrs.get("note", ""),
        )


def _customer_detail(name: str):
    return VisibleTextField(required=False, allow_null=True, allow_blank=True, max_length=CUSTOMER_FIELDS[name])


class CustomerSerializer(serializers.Serializer):
    # Who the order is for, handed to the services as `CustomerDetails`, a blank detail as None.

    name = _customer_detail("name")
    phone = _customer_detail("phone")
    email = _customer_detail("email")
    address = _customer_detail("address")

    def validate(self, attrs) -> CustomerDetails:
        return CustomerDetails(**{name: attrs.get(name) or None for name in CUSTOMER_FIELDS})


class CartRequestSerializer(serializers.Serializer):
    # A request that carries cart lines (`items`): at most MAX_CART_LINES of them, checked once every field is
    # valid and refused as a cart is refused (`order.invalid_items`). A comment, not a docstring: the schema would
    # describe every request that inherits this with it.

    def validate(self, attrs):
        if len(attrs["items"]) > MAX_CART_LINES:
            message = _("At most %(max_cart_lines)s items per request.") % {"max_cart_lines": MAX_CART_LINES}
            raise ApplicationError("order.invalid_items", message, {"items": [message]})
        return attrs


class ManagerApprovalSerializer(serializers.Serializer):
    """A MANAGER or OWNER approving at the terminal with their own PIN (PIN lockouts apply)."""

    manager_id = id_field()
    pin = serializers.CharField(max_length=6, trim_whitespace=False)

    def validate(self, attrs) -> ManagerApproval:
        return ManagerApproval(manager_id=attrs["manager_id"], pin=attrs["pin"])


class DiscountSerializer(serializers.Serializer):
    """An amount or a percentage of the subtotal, with a reason. Above the location's approval threshold the
    caller must be a MANAGER or OWNER, or a terminal call carries a manager's `approval`."""

    amount = MoneyField(required=False, allow_null=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    approval = ManagerApprovalSerializer(required=False, allow_null=True)


class QuoteRequestSerializer(CartRequestSerializer):
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
        max_length=MAX_SOURCE,
        help_text="POS, API or an integrator's name (default: POS for staff, API for keys).",
    )
    external_id = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=MAX_EXTERNAL_ID,
        help_text="Your id for the order, unique per source.",
    )
    approval = ManagerApprovalSerializer(
        required=False, allow_null=True, help_text="A manager's PIN for a tip above the location's max_tip_percent."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        customer = attrs.get("customer")
        if customer is not None and customer.email:
            try:
                validate_email(customer.email)
            except DjangoValidationError:
                message = _("Enter a valid email address.")
                raise ApplicationError("order.invalid_customer", message, {"customer.email": [message]}) from None
        return attrs


class OrderFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    type = serializers.ChoiceField(choices=OrderType.choices, required=False)
    table_id = id_field(required=False)
    source = serializers.CharField(required=False, max_length=MAX_SOURCE)
    created_after = serializers.DateTimeField(required=False, help_text="ISO 8601 with an offset.")


class LinesAddSerializer(CartRequestSerializer):
    items = CartLineSerializer(many=True)
    version = version_field()


class LineVoidSerializer(serializers.Serializer):
    """A void that would leave the discount above the approval threshold carries a manager's `approval`."""

    reason = serializers.CharField(max_length=MAX_REASON)
    version = version_field()
    approval = ManagerApprovalSerializer(required=False, allow_null=True)


class StatusSetSerializer(serializers.Serializer):
    """`reason`: why the order is cancelled (kept on its audit trail)."""

    status = serializers.ChoiceField(choices=[OrderStatus.SERVED, OrderStatus.CANCELLED])
    version = version_field()
    reason = serializers.CharField(max_length=MAX_REASON, required=False, allow_blank=True)


class DiscountSetSerializer(DiscountSerializer):
    """Send neither amount nor percent to remove the discount."""

    version = version_field()


# Responses ---------------------------------------------------------------------------------------------


class ModifierSnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    price_delta = money_field()


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


class OrderLineSerializer(QuoteLineSerializer):
    """A quoted line as the order keeps it: with its id, and voided or not (its menu item may since be gone)."""

    id = serializers.IntegerField()
    menu_item_id = serializers.IntegerField(allow_null=True)
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
