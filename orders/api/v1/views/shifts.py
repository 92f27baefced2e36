"""A terminal's cash drawer: open with a float, cash in and out, close with the counted cash."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Terminal
from cafepos.api.pagination import CursorPagination
from orders import services
from orders.models import Shift
from orders.representations import shift_representation
from orders.selectors import shifts_for

from ..serializers import shifts as serializers
from .access import SHIFT_READ, STAFF_WRITE
from .requests import (
    WRITE_PARAMETERS,
    LocationScopedMixin,
    idempotent_write,
    object_named_in_body,
    validated_body,
)


class ShiftViewSet(LocationScopedMixin, viewsets.GenericViewSet):
    """A terminal's cash drawer: open with a float, cash in and out, close with the counted cash."""

    access = {
        "list": SHIFT_READ,
        "retrieve": SHIFT_READ,
        "create": STAFF_WRITE,
        "cash_movements": STAFF_WRITE,
        "close": STAFF_WRITE,
    }
    pagination_class = CursorPagination
    cursor_field = "opened_at"
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = serializers.ShiftSerializer

    def shift(self, pk) -> Shift:
        return get_object_or_404(shifts_for(self.request.location), pk=pk)

    @extend_schema(
        operation_id="shifts_list", summary="Shifts, newest first", responses=serializers.ShiftSerializer(many=True)
    )
    def list(self, request):
        page = self.paginate_queryset(shifts_for(request.location))
        return self.get_paginated_response([shift_representation(shift) for shift in page])

    @extend_schema(operation_id="shifts_retrieve", summary="One shift", responses=serializers.ShiftSerializer)
    def retrieve(self, request, pk):
        return Response(shift_representation(self.shift(pk)))

    @extend_schema(
        operation_id="shifts_open",
        summary="Open a terminal's drawer with its float",
        request=serializers.ShiftOpenSerializer,
        responses={201: serializers.ShiftSerializer},
        parameters=WRITE_PARAMETERS,
    )
    def create(self, request):
        data = validated_body(request, serializers.ShiftOpenSerializer)
        terminals = Terminal.objects.filter(location=request.location).select_related("location")
        named = object_named_in_body(terminals, data.get("terminal_id"), field="terminal_id", name="terminal")
        terminal = services.shift_terminal(named=named, calling=request.auth.terminal)

        return idempotent_write(
            request,
            "shifts.open",
            lambda: services.shift_open(terminal=terminal, staff=self.staff(), opening_float=data["opening_float"]),
            shift_representation,
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="shifts_cash_movement",
        summary="Put cash into or take it out of the drawer, with a reason",
        request=serializers.CashMovementSerializer,
        responses={201: serializers.CashMovementResultSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"], url_path="cash-movements")
    def cash_movements(self, request, pk):
        shift, data = self.shift(pk), validated_body(request, serializers.CashMovementSerializer)

        return idempotent_write(
            request,
            "shifts.cash_movement",
            lambda: services.shift_cash_move(
                shift=shift,
                staff=self.staff(),
                amount=data["amount"],
                reason=data["reason"],
                terminal=request.auth.terminal,
            ),
            lambda movement: serializers.CashMovementResultSerializer(movement).data,
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="shifts_close",
        summary="Close the drawer with the counted cash: expected cash, variance and Z report",
        request=serializers.ShiftCloseSerializer,
        responses={200: serializers.ShiftSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk):
        shift, data = self.shift(pk), validated_body(request, serializers.ShiftCloseSerializer)

        return idempotent_write(
            request,
            "shifts.close",
            lambda: services.shift_close(
                shift=shift, staff=self.staff(), counted_cash=data["counted_cash"], terminal=request.auth.terminal
            ),
            shift_representation,
        )
