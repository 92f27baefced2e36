"""The menu's JSON shapes (built by `menu.selectors.menu_for_location`), declared for the OpenAPI schema."""

from rest_framework import serializers

from menu.models import Station


class MenuModifierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price_delta = serializers.IntegerField(help_text="Minor units of the menu's currency.")
    is_sold_out = serializers.BooleanField()


class MenuModifierGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    min_selections = serializers.IntegerField()
    max_selections = serializers.IntegerField()
    is_required = serializers.BooleanField()
    modifiers = MenuModifierSerializer(many=True)


class MenuItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    price = serializers.IntegerField(help_text="Minor units of the menu's currency.")
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Percent, as a decimal string.")
    sku = serializers.CharField()
    image = serializers.CharField(allow_null=True, help_text="URL of the picture, or null.")
    station = serializers.ChoiceField(choices=Station.choices)
    sort_order = serializers.IntegerField()
    is_sold_out = serializers.BooleanField(help_text="Shown greyed out; orders with it are refused.")
    modifier_groups = MenuModifierGroupSerializer(many=True)


class MenuItemDetailSerializer(MenuItemSerializer):
    category_id = serializers.IntegerField()


class MenuCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sort_order = serializers.IntegerField()
    items = MenuItemSerializer(many=True)


class MenuSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    currency = serializers.CharField(help_text="ISO 4217 code; prices are in its minor units.")
    categories = MenuCategorySerializer(many=True)
