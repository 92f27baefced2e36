"""Orders: quote, create, list, read, and every change of an order's lines, status and discount."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cafepos.api.pagination import CursorPagination
from orders import services
from orders.models import OrderLine
from orders.representations import order_representation, quote_representation
from tables.models import Table

from ..serializers import orders as serializers
from .access import READ, STAFF_WRITE, SYNCED_WRITE, WRITE
from .payments import PaymentActions
from .requests import (
    WRITE_PARAMETERS,
    LocationScopedMixin,
    idempotent_write,
    object_named_in_body,
    validated_body,
)


class OrderViewSet(PaymentActions, LocationScopedMixin, viewsets.GenericViewSet):
    """Orders of the location: quote, create, list, read, and every change through the order services."""

    # Payments and refunds are PaymentActions' (payments.py); who may call each action is declared here.

    access = {
        "quote": WRITE,
        "create": WRITE,
        "list": READ,
        "retrieve": READ,
        "items": SYNCED_WRITE,
        "void": STAFF_WRITE,
        "status": STAFF_WRITE,
        "discounts": STAFF_WRITE,
        "payments": SYNCED_WRITE,
        "refunds": STAFF_WRITE,  # a cashier's refund carries a manager's PIN
    }
    pagination_class = CursorPagination
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = serializers.OrderSerializer

    @extend_schema(
        operation_id="orders_quote",
        summary="Price a cart without saving anything",
        request=serializers.QuoteRequestSerializer,
        responses={200: serializers.QuoteSerializer},
    )
    @action(detail=False, methods=["post"])
    def quote(self, request):
        data = validated_body(request, serializers.QuoteRequestSerializer)
        quote = services.order_quote(
            location=request.location,
            type=data["type"],
            lines=data["items"],
            discount=_priced_only(data.get("discount")),
            tip=data.get("tip"),
        )
        return Response(quote_representation(quote))

    @extend_schema(
        operation_id="orders_create",
        summary="Take an order; it goes to the kitchen at once",
        request=serializers.OrderCreateSerializer,
        responses={201: serializers.OrderSerializer},
        parameters=WRITE_PARAMETERS,
    )
    def create(self, request):
        data = validated_body(request, serializers.OrderCreateSerializer)
        location, principal = request.location, request.auth
        table = object_named_in_body(
            Table.objects, data.get("table_id"), field="table_id", name="table", location=location
        )
        discount = services.discount_approved(terminal=principal.terminal, discount=data.get("discount"))
        tip_approver = services.tip_approver(
            location=location,
            terminal=principal.terminal,
            caller=principal.user,
            caller_delegated=principal.delegated,
            tip=data.get("tip"),
            approval=data.get("approval"),
        )
        return idempotent_write(
            request,
            "orders.create",
            lambda: services.order_create(
                location=location,
                staff=principal.user,
                terminal=principal.terminal,
                type=data["type"],
                lines=data["items"],
                table=table,
                customer=data.get("customer"),
                note=data.get("note", ""),
                discount=discount,
                tip=data.get("tip"),
                tip_approved_by=tip_approver,
                source=data.get("source") or ("API" if principal.api_key else "POS"),
                external_id=data.get("external_id"),
                staff_approves=not principal.delegated,
            ),
            order_representation,
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="orders_list",
        summary="Orders, newest first, a page at a time",
        parameters=[serializers.OrderFilterSerializer],
        responses=serializers.OrderSerializer(many=True),
    )
    def list(self, request):
        filters = serializers.OrderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(self.orders(**filters.validated_data))
        return self.get_paginated_response([order_representation(order) for order in page])

    @extend_schema(operation_id="orders_retrieve", summary="One order", responses=serializers.OrderSerializer)
    def retrieve(self, request, pk):
        return Response(order_representation(get_object_or_404(self.orders(), pk=pk)))

    @extend_schema(
        operation_id="orders_items_add",
        summary="Add items; only the new ones go to the kitchen",
        request=serializers.LinesAddSerializer,
        responses={200: serializers.OrderSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk):
        order, data = self.order(pk), validated_body(request, serializers.LinesAddSerializer)
        return self.change(
            "orders.items",
            lambda: services.order_lines_add(
                order=order, staff=self.staff(), lines=data["items"], version=data["version"]
            ),
        )

    @extend_schema(
        operation_id="orders_item_void",
        summary="Void an item (it stays on its kitchen ticket, marked VOID)",
        request=serializers.LineVoidSerializer,
        responses={200: serializers.OrderSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"], url_path=r"items/(?P<line_id>[0-9]{1,18})/void")
    def void(self, request, pk, line_id):
        order, data = self.order(pk), validated_body(request, serializers.LineVoidSerializer)
        line = get_object_or_404(OrderLine, order=order, pk=line_id)
        approved_by = services.manager_pin_approval(
            terminal=request.auth.terminal, approval=data.get("approval"), field="approval", action="approve discounts"
        )
        return self.change(
            "orders.void",
            lambda: services.order_line_void(
                order=order,
                line=line,
                staff=self.staff(),
                reason=data["reason"],
                version=data["version"],
                approved_by=approved_by,
            ),
        )

    @extend_schema(
        operation_id="orders_status_set",
        summary="Mark an order SERVED or CANCELLED",
        request=serializers.StatusSetSerializer,
        responses={200: serializers.OrderSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk):
        order, data = self.order(pk), validated_body(request, serializers.StatusSetSerializer)
        return self.change(
            "orders.status",
            lambda: services.order_status_set(
                order=order,
                staff=self.staff(),
                status=data["status"],
                version=data["version"],
                reason=data.get("reason", ""),
            ),
        )

    @extend_schema(
        operation_id="orders_discount_set",
        summary="Set or remove the order discount",
        request=serializers.DiscountSetSerializer,
        responses={200: serializers.OrderSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def discounts(self, request, pk):
        order, data = self.order(pk), validated_body(request, serializers.DiscountSetSerializer)
        approved_by = services.discount_approved(terminal=request.auth.terminal, discount=data).get("approved_by")
        return self.change(
            "orders.discount",
            lambda: services.order_discount_set(
                order=order,
                staff=self.staff(),
                amount=data.get("amount"),
                percent=data.get("percent"),
                reason=data.get("reason", ""),
                approved_by=approved_by,
                version=data["version"],
            ),
        )

    def change(self, operation: str, call) -> Response:
        """Run an order service once per Idempotency-Key; answer with the order as it is after."""
        return idempotent_write(self.request, operation, call, order_representation)


def _priced_only(discount: dict | None) -> dict | None:
    """A quote prices a discount whoever approves it: a manager's approval is not checked there."""
    return {name: value for name, value in discount.items() if name != "approval"} if discount else discount
