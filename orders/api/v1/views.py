"""Orders, tables, tickets and shifts of a location. Views parse input, call one service or selector, and
shape output with `orders.representations`; writes take an `Idempotency-Key`.

Staff act through their own role; API keys may quote, create and read orders (an integrator's order has no
staff member), while every other change needs a staff member, as the services require.
"""

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.access import Allow
from accounts.models import Terminal
from accounts.roles import ANY_ROLE, FRONT_OF_HOUSE, MANAGERS
from accounts.services import pin_manager_confirm
from cafepos.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent_response
from cafepos.api.pagination import CursorPagination
from cafepos.exceptions import ApplicationError
from orders import services
from orders.models import Order, OrderLine, Shift, TicketStation
from orders.representations import (
    order_representation,
    payment_representation,
    quote_representation,
    refund_representation,
    shift_representation,
    ticket_representation,
)
from orders.selectors import open_shift, open_tickets, orders_for, shifts_for, table_statuses
from tables.models import Table

from . import serializers

READ = Allow(ANY_ROLE, scope="orders:read")
WRITE = Allow(FRONT_OF_HOUSE, scope="orders:write", delegable=True)
STAFF_WRITE = Allow(FRONT_OF_HOUSE)  # no API key: the service needs a staff member
SYNCED_WRITE = Allow(FRONT_OF_HOUSE, delegable=True)  # also sent later by a terminal's offline queue
MANAGER_WRITE = Allow(MANAGERS)
SHIFT_READ = Allow(FRONT_OF_HOUSE, scope="reports:read")

WRITE_PARAMETERS = [IDEMPOTENCY_KEY_PARAMETER]


def body(request, serializer_class, **context) -> dict:
    serializer = serializer_class(data=request.data, context={"currency": request.location.currency, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def written(
    request, operation: str, call: Callable[[], Any], shape: Callable[[Any], Any], status_code: int = status.HTTP_200_OK
) -> Response:
    """Run a service (`call`) once per Idempotency-Key; answer with `shape` of what it returned, stored for replays."""
    return idempotent_response(request, operation=operation, execute=lambda: (status_code, shape(call())))


def manager_approval(request, approval: dict | None, *, field: str, action: str):
    """The MANAGER or OWNER whose `approval` (`{"manager_id", "pin"}`) a request carries, their PIN checked on this
    terminal (PIN lockouts apply); None without one. `field` names the approval in a refusal's field messages."""
    if not approval:
        return None
    terminal = request.auth.terminal
    if terminal is None:
        message = "A manager approves with their PIN on a terminal."
        raise ApplicationError("discount.approval_needs_terminal", message, {field: [message]})
    return pin_manager_confirm(terminal=terminal, manager_id=approval["manager_id"], pin=approval["pin"], action=action)


def approver(request, approval: dict | None, *, field: str, action: str):
    """Who approves what this request asks above a location's threshold: the MANAGER or OWNER whose PIN it carries
    (`approval`, see `manager_approval`), else the caller when they are one themself; None otherwise.

    The one place that decides. A delegated caller (a terminal acting for someone signed in there earlier) is
    not there to approve: their own role never counts.
    """
    manager = manager_approval(request, approval, field=field, action=action)
    if manager is not None:
        return manager
    principal = request.auth
    if principal.user is not None and not principal.delegated and principal.role_at(request.location) in MANAGERS:
        return principal.user
    return None


def discount_approved(request, discount: dict | None) -> dict | None:
    """The discount for the services, its manager's `approval` (id and PIN, checked here) as `approved_by`."""
    if not discount:
        return discount
    discount = dict(discount)
    approver = manager_approval(
        request, discount.pop("approval", None), field="discount.approval", action="approve discounts"
    )
    if approver is not None:
        discount["approved_by"] = approver
    return discount


def tip_approved(request, data: dict):
    """The approver of the body's tip (None without a tip: nothing to approve, and no role read on the hot path)."""
    return approver(request, data.get("approval"), field="approval", action="approve tips") if data.get("tip") else None


def referenced(queryset, pk, *, field: str, name: str, **scope):
    """An object the body refers to, within the caller's location (`queryset`, filtered by `scope`); a 400 naming
    the field otherwise. No query is built when there is no `pk`."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk, **scope).first()
    if obj is None:
        message = f"No such {name} at this location."
        raise ApplicationError(f"{name}.not_found", message, {field: [message]})
    return obj


class LocationScopedMixin:
    """Shortcuts for views whose `request.location` was resolved by `LocationAccess`."""

    def staff(self):
        return self.request.auth.user  # None for an API key

    def orders(self, **filters):
        user = self.staff() if self.request.auth.api_key is None else None
        return orders_for(user, location=self.request.location, **filters)

    def order(self, pk) -> Order:
        """The order a write names, without its lines: the service locks it and reads what it needs afresh."""
        return get_object_or_404(self.orders().prefetch_related(None), pk=pk)


class OrderViewSet(LocationScopedMixin, viewsets.GenericViewSet):
    """Orders of the location: quote, create, list, read, and every change through the order services."""

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
        "refunds": MANAGER_WRITE,
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
        data = body(request, serializers.QuoteRequestSerializer)
        quote = services.order_quote(
            location=request.location,
            type=data["type"],
            lines=_lines(data["items"]),
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
        data = body(request, serializers.OrderCreateSerializer)
        location, principal = request.location, request.auth
        table = referenced(Table.objects, data.get("table_id"), field="table_id", name="table", location=location)
        discount = discount_approved(request, data.get("discount"))
        tip_approver = tip_approved(request, data)
        return written(
            request,
            "orders.create",
            lambda: services.order_create(
                location=location,
                staff=principal.user,
                terminal=principal.terminal,
                type=data["type"],
                lines=_lines(data["items"]),
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
        order, data = self.order(pk), body(request, serializers.LinesAddSerializer)
        return self.change(
            "orders.items",
            lambda: services.order_lines_add(
                order=order, staff=self.staff(), lines=_lines(data["items"]), version=data["version"]
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
        order, data = self.order(pk), body(request, serializers.LineVoidSerializer)
        line = get_object_or_404(OrderLine, order=order, pk=line_id)
        approved_by = manager_approval(request, data.get("approval"), field="approval", action="approve discounts")
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
        order, data = self.order(pk), body(request, serializers.StatusSetSerializer)
        return self.change(
            "orders.status",
            lambda: services.order_status_set(
                order=order, staff=self.staff(), status=data["status"], version=data["version"]
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
        order, data = self.order(pk), body(request, serializers.DiscountSetSerializer)
        approved_by = discount_approved(request, data).get("approved_by")
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

    @extend_schema(
        operation_id="orders_payment_add",
        summary="Take a payment (cash, card on a separate terminal, or other)",
        request=serializers.PaymentAddSerializer,
        responses={201: serializers.PaymentResultSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, pk):
        order, data = self.order(pk), body(request, serializers.PaymentAddSerializer)
        shift = referenced(shifts_for(request.location), data.pop("shift_id", None), field="shift_id", name="shift")
        if shift is None and request.auth.terminal is not None:
            shift = open_shift(request.auth.terminal.pk)
        data["approved_by"] = tip_approved(request, data)
        data.pop("approval", None)
        payment = services.payment_request(order=order, staff=self.staff(), shift=shift, **data)
        return idempotent_response(
            request,
            operation="orders.payment",
            prepare=lambda: services.payment_card_charged(payment),  # a card is charged with no lock held
            execute=lambda charge: (
                status.HTTP_201_CREATED,
                _paid(services.payment_record(payment, charge), request.location),
            ),
        )

    @extend_schema(
        operation_id="orders_refund",
        summary="Refund part or all of a payment (manager)",
        request=serializers.RefundSerializer,
        responses={201: serializers.RefundResultSerializer},
        parameters=WRITE_PARAMETERS,
    )
    @action(detail=True, methods=["post"])
    def refunds(self, request, pk):
        order, data = self.order(pk), body(request, serializers.RefundSerializer)
        payment = referenced(order.payments.all(), data["payment_id"], field="payment_id", name="payment")

        return written(
            request,
            "orders.refund",
            lambda: services.payment_refund(
                payment=payment, staff=self.staff(), amount=data["amount"], reason=data["reason"]
            ),
            lambda refund: {
                "refund": refund_representation(refund, request.location),
                "order": order_representation(refund.payment.order),
            },
            status.HTTP_201_CREATED,
        )

    def change(self, operation: str, call) -> Response:
        """Run an order service once per Idempotency-Key; answer with the order as it is after."""
        return written(self.request, operation, call, order_representation)


def _paid(payment, location) -> dict:
    return {"payment": payment_representation(payment, location), "order": order_representation(payment.order)}


def _priced_only(discount: dict | None) -> dict | None:
    """A quote prices a discount whoever approves it: a manager's approval is not checked there."""
    return {name: value for name, value in discount.items() if name != "approval"} if discount else discount


def _lines(items: list[dict]) -> list[dict]:
    return [{"modifier_ids": [], "note": "", **item} for item in items]


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
        data = body(request, serializers.ShiftOpenSerializer)
        terminals = Terminal.objects.filter(location=request.location).select_related("location")
        terminal = referenced(terminals, data.get("terminal_id"), field="terminal_id", name="terminal")
        terminal = terminal or request.auth.terminal
        if terminal is None:
            message = "Call from a terminal, or name one with terminal_id."
            raise ApplicationError("shift.terminal_required", message, {"terminal_id": [message]})

        return written(
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
        shift, data = self.shift(pk), body(request, serializers.CashMovementSerializer)

        return written(
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
        shift, data = self.shift(pk), body(request, serializers.ShiftCloseSerializer)

        return written(
            request,
            "shifts.close",
            lambda: services.shift_close(
                shift=shift, staff=self.staff(), counted_cash=data["counted_cash"], terminal=request.auth.terminal
            ),
            shift_representation,
        )


class TicketListView(APIView):
    """Kitchen tickets still to make (NEW and IN_PROGRESS), oldest first."""

    access = {"get": READ}

    @extend_schema(
        operation_id="tickets_list",
        parameters=[serializers.TicketFilterSerializer],
        responses=serializers.TicketListSerializer,
    )
    def get(self, request):
        filters = serializers.TicketFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        stations = [filters.validated_data["station"]] if "station" in filters.validated_data else TicketStation.values
        tickets = [ticket for station in stations for ticket in open_tickets(request.location, station)]
        tickets.sort(key=lambda ticket: (ticket.created_at, ticket.pk))
        return Response({"results": [ticket_representation(ticket) for ticket in tickets]})


class TableListView(APIView):
    """The location's tables with their derived status (FREE, OCCUPIED, NEEDS_ATTENTION) and open orders."""

    access = {"get": READ}

    @extend_schema(operation_id="tables_list", responses=serializers.TableListSerializer)
    def get(self, request):
        return Response({"results": table_statuses(request.location)})
