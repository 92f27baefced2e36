"""Cursor pages, newest first: `{"results": [...], "next_cursor": "..." | null}`, `?limit=` (default 20, max 100).

The cursor is opaque to clients: the (time, id) of the last row of the page, so pages never repeat or skip a
row while new rows arrive, and each page is one indexed range query however deep it is.
"""

import base64
import binascii
import datetime
import json

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from cafepos import jsonbounds
from cafepos.exceptions import ApplicationError

from .params import MAX_ID, parse_int

MAX_CURSOR_LENGTH = 200  # a cursor we hand out is [ISO time, id] in base64: about 60 characters


def _refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError("validation_error", message, {field: [message]})


class CursorPagination(BasePagination):
    """For querysets ordered by the view's `cursor_field` (default `created_at`), then id, both descending."""

    default_limit = 20
    max_limit = 100

    def paginate_queryset(self, queryset, request, view=None):
        field = getattr(view, "cursor_field", "created_at")
        limit = self.limit(request)
        cursor = request.query_params.get("cursor")
        if cursor:
            moment, pk = self.decode(cursor)
            queryset = queryset.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))
        rows = list(queryset.order_by(f"-{field}", "-pk")[: limit + 1])
        self.next_cursor = (
            self.encode(getattr(rows[limit - 1], field), rows[limit - 1].pk) if len(rows) > limit else None
        )
        return rows[:limit]

    def get_paginated_response(self, data):
        return Response({"results": data, "next_cursor": self.next_cursor})

    def limit(self, request) -> int:
        raw = request.query_params.get("limit")
        if raw is None:
            return self.default_limit
        limit = parse_int(raw, minimum=1, maximum=self.max_limit)
        if limit is None:
            raise _refuse("limit", _("limit is a whole number from 1 to %(max)s.") % {"max": self.max_limit})
        return limit

    @staticmethod
    def encode(moment: datetime.datetime, pk: int) -> str:
        return base64.urlsafe_b64encode(json.dumps([moment.isoformat(), pk]).encode()).decode().rstrip("=")

    @staticmethod
    def decode(cursor: str) -> tuple[datetime.datetime, int]:
        try:
            if len(cursor) > MAX_CURSOR_LENGTH:  # ours are about 60 characters: never decode a megabyte
                raise ValueError(cursor[:20])
            moment, pk = jsonbounds.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)), max_depth=1)
            moment = datetime.datetime.fromisoformat(moment)
            if moment.tzinfo is None or type(pk) is not int or not 0 < pk <= MAX_ID:
                raise ValueError(cursor)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise _refuse("cursor", _("This cursor is not one the API gave out.")) from None
        return moment, pk

    def get_paginated_response_schema(self, schema):
        return build_object_type(
            properties={
                "results": schema,
                "next_cursor": {
                    **build_basic_type(OpenApiTypes.STR),
                    "nullable": True,
                    "description": "Pass as ?cursor= for the next page; null on the last page.",
                    "example": "WyIyMDI2LTExLTI4VDA4OjE0OjAzKzAwOjAwIiwgMTA0Ml0",
                },
            },
            required=["results", "next_cursor"],
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {self.max_limit} (default {self.default_limit}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
            },
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "The next_cursor of the previous page.",
                "schema": {"type": "string"},
            },
        ]
