"""Shift requests (open, cash movements, close) and the documented shapes of shifts and their Z reports."""

import datetime

from rest_framework import serializers

from cafepos.api.fields import MoneyField
from cafepos.money import to_minor_units

from .fields import id_field, money_field, time_field

# Requests ----------------------------------------------------------------------------------------------


class ShiftOpenSerializer(serializers.Serializer):
    opening_float = MoneyField()
    terminal_id = id_field(required=False, help_text="Default: the calling terminal.")


class CashMovementSerializer(serializers.Serializer):
    amount = MoneyField(signed=True, help_text="Minor units: positive puts cash in, negative takes it out.")
    reason = serializers.CharField(max_length=200)


class ShiftCloseSerializer(serializers.Serializer):
    counted_cash = MoneyField()


# Responses ---------------------------------------------------------------------------------------------


class TenderTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = money_field()
    tips = money_field()


class RefundTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = money_field()


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
    subtotal = money_field()
    discount_total = money_field()
    tax_total = money_field()
    total = money_field()


class ZReportSerializer(serializers.Serializer):
    currency = serializers.CharField()
    shift_id = serializers.IntegerField()
    terminal_id = serializers.IntegerField()
    opened_at = time_field()
    closed_at = time_field()
    opening_float = money_field()
    tenders = TenderBreakdownSerializer()
    tips_total = money_field()
    refunds = RefundBreakdownSerializer()
    refunds_total = money_field()
    cash_in = money_field()
    cash_out = money_field()
    expected_cash = money_field()
    counted_cash = money_field()
    variance = money_field()
    sales = SalesTotalsSerializer()
    tax_by_rate = serializers.DictField(child=money_field(), help_text="Tax per rate (decimal string keys).")
    discounts = RefundTotalsSerializer()
    voids = RefundTotalsSerializer()


class ShiftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    terminal_id = serializers.IntegerField()
    currency = serializers.CharField()
    opened_by_id = serializers.IntegerField()
    opened_at = time_field()
    opening_float = money_field()
    closed_by_id = serializers.IntegerField(allow_null=True)
    closed_at = time_field(allow_null=True)
    counted_cash = money_field(allow_null=True)
    expected_cash = money_field(allow_null=True)
    variance = money_field(allow_null=True)
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
