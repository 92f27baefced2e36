from rest_framework import serializers

from accounts.models import ApiKey, Location, Role, Terminal
from cafepos.api.params import MAX_ID

# Input -------------------------------------------------------------------------------------------------


class PasswordLoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class PinLoginSerializer(serializers.Serializer):
    terminal_secret = serializers.CharField(max_length=200, help_text="The terminal's device credential.")
    staff_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    pin = serializers.CharField(max_length=12)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096)


# Output ------------------------------------------------------------------------------------------------


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(help_text="Exchange at /api/v1/auth/token/refresh/; usable once.")


class LocationSerializer(serializers.ModelSerializer):
    organization_id = serializers.IntegerField()
    role = serializers.ChoiceField(
        choices=Role.choices, allow_null=True, help_text="The caller's role here (null for an API key)."
    )

    class Meta:
        model = Location
        fields = ["id", "name", "organization_id", "time_zone", "currency", "tax_mode", "role"]


class LocationListSerializer(serializers.Serializer):
    results = LocationSerializer(many=True)


class StaffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class TerminalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Terminal
        fields = ["id", "name", "kind"]


class ApiKeySerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=ApiKey.SCOPES))

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "scopes"]


class MeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["user", "terminal", "api_key"])
    user = StaffSerializer(allow_null=True)
    terminal = TerminalSerializer(allow_null=True)
    api_key = ApiKeySerializer(allow_null=True)
    locations = LocationSerializer(many=True)
