"""The location's tables with the status their open orders give them. Served here, not by `tables`: the status
is derived from orders, which `tables` knows nothing of."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.selectors import table_statuses

from ..serializers import tables as serializers
from .access import READ


class TableListView(APIView):
    """The location's tables with their derived status (FREE, OCCUPIED, NEEDS_ATTENTION) and open orders."""

    access = {"get": READ}

    @extend_schema(operation_id="tables_list", responses=serializers.TableListSerializer)
    def get(self, request):
        return Response({"results": table_statuses(request.location)})
