"""Orders, tables, tickets and shifts of a location, one module per resource. Views parse input, call one service
or selector, and shape output with `orders.representations`; writes take an `Idempotency-Key`.

Staff act through their own role; API keys may quote, create and read orders (an integrator's order has no
staff member), while every other change needs a staff member, as the services require.
"""

from .orders import OrderViewSet
from .shifts import ShiftViewSet
from .tables import TableListView
from .tickets import TicketListView

__all__ = ["OrderViewSet", "ShiftViewSet", "TableListView", "TicketListView"]
