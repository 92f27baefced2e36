"""The kitchen tickets' filter and the documented shape of tickets in `orders.representations`."""

from rest_framework import serializers

from orders.models import OrderStatus, OrderType, TicketStation, TicketStatus

from .fields import time_field


class TicketFilterSerializer(serializers.Serializer):
    station = serializers.ChoiceField(choices=TicketStation.choices, required=False)


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
    created_at = time_field()
    started_at = time_field(allow_null=True)
    done_at = time_field(allow_null=True)
    updated_at = time_field()


class TicketListSerializer(serializers.Serializer):
    results = TicketSerializer(many=True)
