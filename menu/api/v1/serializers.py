"""The menu's JSON shapes (built by `menu.selectors.menu_for_location`), declared for the OpenAPI schema."""

from rest_framework import serializers

from menu.models import Station

DISPLAY_NAME_HELP = "The name in the language of the request's Accept-Language, else the stored `name`."


class TranslationsField(serializers.DictField):
    """Per language of settings.LANGUAGES, the translated fields: {"de": {"name": "…"}}."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.DictField(child=serializers.CharField()),
            help_text='Per language code, the translated fields, e.g. {"de": {"name": "Milchkaffee"}}.',
            **kwargs,
        )


class MenuModifierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="As stored: the default language.")
    display_name = serializers.CharField(help_text=DISPLAY_NAME_HELP)
    translations = TranslationsField()
    price_delta = serializers.IntegerField(help_text="Minor units of the menu's currency.")
    is_sold_out = serializers.BooleanField()


class MenuModifierGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="As stored: the default language.")
    display_name = serializers.CharField(help_text=DISPLAY_NAME_HELP)
    translations = TranslationsField()
    min_selections = serializers.IntegerField()
    max_selections = serializers.IntegerField()
    is_required = serializers.BooleanField()
    modifiers = MenuModifierSerializer(many=True)


class MenuItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="As stored: the default language.")
    description = serializers.CharField(allow_blank=True, help_text="As stored: the default language.")
    display_name = serializers.CharField(help_text=DISPLAY_NAME_HELP)
    display_description = serializers.CharField(
        allow_blank=True, help_text="The description in the language of Accept-Language, else the stored one."
    )
    translations = TranslationsField()
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
    name = serializers.CharField(help_text="As stored: the default language.")
    display_name = serializers.CharField(help_text=DISPLAY_NAME_HELP)
    translations = TranslationsField()
    sort_order = serializers.IntegerField()
    items = MenuItemSerializer(many=True)


class MenuSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    currency = serializers.CharField(help_text="ISO 4217 code; prices are in its minor units.")
    categories = MenuCategorySerializer(many=True)
