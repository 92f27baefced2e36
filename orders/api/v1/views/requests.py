"""What every orders view does with a request: parse its body, find what it names within the caller's
location, and run a write once per Idempotency-Key."""

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from cafepos.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent_response
from cafepos.exceptions import ApplicationError
from orders.models import Order
from orders.selectors import orders_for

WRITE_PARAMETERS = [IDEMPOTENCY_KEY_PARAMETER]


def validated_body(request, serializer_class, **context) -> dict:
    """The request body as `serializer_class` validates it (amounts in the location's currency); a 400 otherwise."""
    serializer = serializer_class(data=request.data, context={"currency": request.location.currency, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def idempotent_write(
    request, operation: str, call: Callable[[], Any], shape: Callable[[Any], Any], status_code: int = status.HTTP_200_OK
) -> Response:
    """Run a service (`call`) once per Idempotency-Key; answer with `shape` of what it returned, stored for replays."""
    return idempotent_response(request, operation=operation, execute=lambda: (status_code, shape(call())))


def object_named_in_body(queryset, pk, *, field: str, name: str, **scope):
    """An object the body refers to, within the caller's location (`queryset`, filtered by `scope`); a 400 naming
    the field otherwise. No query is built when there is no `pk`."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk, **scope).first()
    if obj is None:
        message = _("No such %(name)s at this location.") % {"name": name}
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
