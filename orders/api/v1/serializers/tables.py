"""The documented shape of the tables' derived status (`orders.selectors.table_statuses`)."""

from rest_framework import serializers


class TableSerializer(serializers.Serializer):
    table_id = serializers.IntegerField()
    label = serializers.CharField()
    area_id = serializers.IntegerField()
    seats = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["FREE", "OCCUPIED", "NEEDS_ATTENTION"])
    open_order_ids = serializers.ListField(child=serializers.IntegerField())


class TableListSerializer(serializers.Serializer):
    results = TableSerializer(many=True)
