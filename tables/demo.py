"""The demo cafe's floor (demo data only): 12 tables in two areas, placed on the grid."""

from accounts.models import Location

from .models import Area, Table
from .services import area_create, table_create

# area: [(label, seats, grid x, grid y)]
AREAS = {
    "Main room": [
        ("1", 2, 0, 0),
        ("2", 2, 1, 0),
        ("3", 4, 2, 0),
        ("4", 4, 3, 0),
        ("5", 2, 0, 1),
        ("6", 4, 1, 1),
        ("7", 6, 2, 1),
        ("8", 4, 3, 1),
    ],
    "Terrace": [("T1", 2, 0, 0), ("T2", 2, 1, 0), ("T3", 4, 0, 1), ("T4", 4, 1, 1)],
}


def seed(location: Location) -> dict:
    """Create what is missing of the demo floor at `location` (by area name and table label)."""
    for order, (name, tables) in enumerate(AREAS.items()):
        area = Area.objects.filter(location=location, name=name).first() or area_create(
            location=location, name=name, sort_order=order
        )
        for label, seats, grid_x, grid_y in tables:
            if not Table.objects.filter(location=location, label=label).exists():
                table_create(area=area, label=label, seats=seats, grid_x=grid_x, grid_y=grid_y)
    return {
        "areas": Area.objects.filter(location=location).count(),
        "tables": Table.objects.filter(location=location).count(),
    }
