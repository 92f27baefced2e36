"""Payments and refunds of an order (actions of `OrderViewSet`, under /orders/{id}/)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from cafepos.api.idempotency import idempotent_response
from orders import services
from orders.representations import order_representation, payment_representation, refund_representation
from orders.selectors import shifts_for

from ..serializers import payments as serializers
from .requests import WRITE_PARAMETERS, idempotent_write, object_named_in_body, validated_body


class PaymentActions:
    """The order's money: take a payment (a card charged with no lock held), refund one (manager)."""

    @extend_schema(
        operation_id="orders_payment_add",
        summary="Take a payment (cash, card on a separate terminal, or other)",
        request=serializers.PaymentAddSerializer,
        responses={201: serializers.PaymentResultSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, pk):
        order, data = self.order(pk), validated_body(request, serializers.PaymentAddSerializer)
        location, principal = request.location, request.auth
        named = object_named_in_body(shifts_for(location), data.pop("shift_id", None), field="shift_id", name="shift")
        shift = services.payment_shift(named=named, calling_terminal=principal.terminal)
        data["approved_by"] = services.tip_approver(
            location=location,
            terminal=principal.terminal,
            caller=principal.user,
            caller_delegated=principal.delegated,
            tip=data.get("tip"),
            approval=data.pop("approval", None),
        )
        payment = services.payment_request(order=order, staff=self.staff(), shift=shift, **data)
        return idempotent_response(
            request,
            operation="orders.payment",
            prepare=lambda: services.payment_card_charged(payment),  # a card is charged with no lock held
            execute=lambda charge: (status.HTTP_201_CREATED, _paid(services.payment_record(payment, charge), location)),
        )

    @extend_schema(
        operation_id="orders_refund",
        summary="Refund part or all of a payment (a manager, or a manager's PIN at the terminal)",
        request=serializers.RefundSerializer,
        responses={201: serializers.RefundResultSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def refunds(self, request, pk):
        order, data = self.order(pk), validated_body(request, serializers.RefundSerializer)
        payment = object_named_in_body(order.payments.all(), data["payment_id"], field="payment_id", name="payment")
        principal = request.auth
        manager = services.refund_approver(
            location=request.location,
            terminal=principal.terminal,
            caller=principal.user,
            caller_delegated=principal.delegated,
            approval=data.get("approval"),
        )
        return idempotent_write(
            request,
            "orders.refund",
            lambda: services.payment_refund(
                payment=payment, staff=manager, amount=data["amount"], reason=data["reason"]
            ),
            lambda refund: {
                "refund": refund_representation(refund, request.location),
                "order": order_representation(refund.payment.order),
            },
            status.HTTP_201_CREATED,
        )


def _paid(payment, location) -> dict:
    return {"payment": payment_representation(payment, location), "order": order_representation(payment.order)}
