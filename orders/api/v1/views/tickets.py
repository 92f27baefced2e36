"""Kitchen tickets still to make, for kitchen displays and integrations."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.models import TicketStation
from orders.representations import ticket_representation
from orders.selectors import open_tickets

from ..serializers import tickets as serializers
from .access import READ


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
