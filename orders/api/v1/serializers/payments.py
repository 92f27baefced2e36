"""Payment and refund requests, and the documented shapes of payments and refunds in `orders.representations`."""

from rest_framework import serializers

from cafepos.api.fields import MoneyField
from cafepos.api.params import MAX_ID
from orders.limits import MAX_REASON
from orders.models import Tender

from .fields import id_field, money_field, time_field
from .orders import ManagerApprovalSerializer, OrderSerializer

# Requests ----------------------------------------------------------------------------------------------


class PaymentAddSerializer(serializers.Serializer):
    tender = serializers.ChoiceField(choices=Tender.choices)
    amount = MoneyField(help_text="Minor units applied to the balance (cash above it is given back as change).")
    tip = MoneyField(required=False)
    tendered = MoneyField(required=False, allow_null=True, help_text="Cash handed over, in minor units.")
    card_last4 = serializers.CharField(required=False, allow_blank=True, max_length=4)
    terminal_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    check_number = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    shift_id = id_field(required=False, allow_null=True, help_text="Default: the calling terminal's open shift.")
    approval = ManagerApprovalSerializer(
        required=False, allow_null=True, help_text="A manager's PIN for a tip above the location's max_tip_percent."
    )


class RefundSerializer(serializers.Serializer):
    """Made by a MANAGER or OWNER: the caller, or one approving at the terminal with their PIN (`approval`)."""

    payment_id = id_field()
    amount = MoneyField()
    reason = serializers.CharField(max_length=MAX_REASON)
    approval = ManagerApprovalSerializer(required=False, allow_null=True)


# Responses ---------------------------------------------------------------------------------------------


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.IntegerField()
    tender = serializers.ChoiceField(choices=Tender.choices)
    currency = serializers.CharField()
    amount = money_field()
    tip = money_field()
    tendered = money_field(allow_null=True)
    change_due = money_field()
    card_last4 = serializers.CharField(allow_null=True)
    terminal_reference = serializers.CharField(allow_null=True)
    reference = serializers.CharField(allow_null=True)
    check_number = serializers.IntegerField(allow_null=True)
    refunded_amount = money_field()
    shift_id = serializers.IntegerField(allow_null=True)
    staff_id = serializers.IntegerField(allow_null=True)
    created_at = time_field()


class PaymentResultSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    order = OrderSerializer()


class RefundDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    payment_id = serializers.IntegerField()
    amount = money_field()
    currency = serializers.CharField()
    reason = serializers.CharField()
    staff_id = serializers.IntegerField(allow_null=True)
    shift_id = serializers.IntegerField(allow_null=True)
    created_at = time_field()


class RefundResultSerializer(serializers.Serializer):
    refund = RefundDetailSerializer()
    order = OrderSerializer()
