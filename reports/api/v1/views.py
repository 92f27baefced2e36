"""`GET /api/v1/reports/sales/`: the sales summary of a location, optionally grouped; money in minor units."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.access import Allow
from accounts.roles import MANAGERS
from cafepos.api.params import DATE_MESSAGE, parse_date
from cafepos.exceptions import ApplicationError
from cafepos.money import to_minor_units
from reports.selectors import GROUPS, report_scope, sales_by, sales_summary

NOT_MONEY = {"orders", "refund_count", "void_count", "cancelled_orders", "quantity", "count", "key", "label"}


def _date(request, name: str) -> datetime.date:
    value = request.query_params.get(name)
    if not value:
        raise ApplicationError(
            "validation_error", _("`%(name)s` is required (YYYY-MM-DD).") % {"name": name}, {name: [_("Required.")]}
        )
    day = parse_date(value)
    if day is None:
        raise ApplicationError("validation_error", DATE_MESSAGE, {name: [DATE_MESSAGE]})
    return day


def _minor(row: dict, currency: str) -> dict:
    """Money (Decimal) as integer minor units; rates as decimal strings; days as ISO dates."""
    shaped = {}
    for key, value in row.items():
        if key == "rate":
            shaped[key] = str(value)
        elif isinstance(value, Decimal) and key not in NOT_MONEY:
            shaped[key] = to_minor_units(value, currency)
        elif isinstance(value, datetime.date):
            shaped[key] = value.isoformat()
        else:
            shaped[key] = value
    return shaped


class SalesReportView(APIView):
    access = {"get": Allow(MANAGERS, scope="reports:read")}

    @extend_schema(
        operation_id="reports_sales",
        summary="Sales of a location over a range of business days",
        description="Gross, discounts, net, tax (and by rate), tips, refunds, voids, orders and average ticket; "
        "with `group_by`, the same figures per day, hour of day, item, category, staff member, payment method, "
        "order type or source. Money is in minor units of `currency`. At most 366 days.",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First business day."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Last business day."),
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(GROUPS), required=False),
            OpenApiParameter("location", OpenApiTypes.INT, required=False, description="Needed with several."),
        ],
        responses=inline_serializer(
            "SalesReport",
            {
                "location_id": serializers.IntegerField(),
                "currency": serializers.CharField(),
                "from": serializers.DateField(),
                "to": serializers.DateField(),
                "summary": serializers.DictField(),
                "group_by": serializers.CharField(allow_null=True),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        group_by = request.query_params.get("group_by") or None
        if group_by is not None and group_by not in GROUPS:
            message = _("Group by one of %(choices)s.") % {"choices": ", ".join(GROUPS)}
            raise ApplicationError("validation_error", message, {"group_by": [message]})
        scope = report_scope(
            locations=[request.location], date_from=_date(request, "from"), date_to=_date(request, "to")
        )
        currency = scope.currency
        summary = sales_summary(scope)
        summary["tax_by_rate"] = [_minor(row, currency) for row in summary["tax_by_rate"]]
        rows = [_minor(row, currency) for row in sales_by(scope, group_by)] if group_by else []
        return Response(
            {
                "location_id": request.location.pk,
                "currency": currency,
                "from": scope.date_from.isoformat(),
                "to": scope.date_to.isoformat(),
                "summary": _minor(summary, currency),
                "group_by": group_by,
                "rows": rows,
            }
        )
