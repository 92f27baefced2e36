"""Reads of areas and tables. Live status (free, occupied) is added by `orders`, which knows the orders."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Location

from .models import Area, Table


def tables_for_location(location: Location, *, active_only: bool = True) -> QuerySet[Table]:
    tables = Table.objects.filter(location=location).select_related("area").order_by("area__sort_order", "label")
    return tables.filter(is_active=True) if active_only else tables


def floor_plan(location: Location) -> dict:
    """Areas with their active tables placed on the grid, as JSON-ready data (two queries)."""
    tables = Table.objects.filter(is_active=True).order_by("grid_y", "grid_x", "label")
    areas = Area.objects.filter(location=location).prefetch_related(Prefetch("tables", queryset=tables))
    return {
        "location_id": location.id,
        "areas": [
            {
                "id": area.id,
                "name": area.name,
                "sort_order": area.sort_order,
                "tables": [
                    {
                        "id": table.id,
                        "label": table.label,
                        "seats": table.seats,
                        "grid_x": table.grid_x,
                        "grid_y": table.grid_y,
                    }
                    for table in area.tables.all()
                ],
            }
            for area in areas
        ],
    }
