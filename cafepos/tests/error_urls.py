"""A tiny URLconf for the error-shape tests: views that fail in each way an API view can."""

from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cafepos.exceptions import ApplicationError


class LineSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)


class CartSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["DINE_IN", "TAKEAWAY"])
    items = LineSerializer(many=True)


class EchoView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        serializer = CartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class RefusedView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        raise ApplicationError("order.illegal_transition", "Cannot serve a cancelled order.", {"status": ["No."]})


CARD = "4111 1111 1111 1111"  # a test card number: Luhn-valid, so the redaction must catch it


class LeakyView(APIView):
    """Refuses with the caller's secrets repeated in the message and a field, as careless code might."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        raise ApplicationError("payment.declined", f"Card {CARD} declined.", {"pin": ["pin=918273 is wrong."]})


class ChoiceView(APIView):
    """DRF's own messages repeat the input: `"4111…" is not a valid choice.`"""

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        field = serializers.ChoiceField(choices=["CASH", "CARD"])
        serializer = type("TenderSerializer", (serializers.Serializer,), {"tender": field})(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class BrokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/echo/", EchoView.as_view()),
    path("api/v1/refused/", RefusedView.as_view()),
    path("api/v1/broken/", BrokenView.as_view()),
    path("api/v1/leaky/", LeakyView.as_view()),
    path("api/v1/choice/", ChoiceView.as_view()),
]
