"""`POST /api/v1/orders/{id}/receipt-email/`: email an order's receipt (the POS or an integrator asks)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.views import APIView

from accounts.api.access import Allow
from accounts.roles import FRONT_OF_HOUSE
from cafepos.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent_response
from delivery.services import receipt_email_send
from orders.models import Order


class ReceiptEmailView(APIView):
    access = {"post": Allow(FRONT_OF_HOUSE, scope="orders:write")}

    @extend_schema(
        operation_id="orders_receipt_email",
        summary="Email the order's receipt",
        description="Queued at once and sent by a background worker (retried if the mail server is down). "
        "Like every write, it takes an Idempotency-Key: a retry with the same key and body queues no second email.",
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request=inline_serializer("ReceiptEmailRequest", {"email": serializers.EmailField()}),
        responses={
            202: inline_serializer(
                "ReceiptEmail",
                {"id": serializers.IntegerField(), "to": serializers.EmailField(), "status": serializers.CharField()},
            )
        },
    )
    def post(self, request, pk: int):
        order = get_object_or_404(Order.objects.filter(location=request.location), pk=pk)
        to = request.data.get("email") if isinstance(request.data, dict) else None

        def execute():
            email = receipt_email_send(order=order, to=to)
            return status.HTTP_202_ACCEPTED, {"id": email.pk, "to": email.to, "status": email.status}

        return idempotent_response(request, operation="orders.receipt_email", execute=execute)
