"""Channel-layer group names (ASCII letters, digits, hyphens and periods only) and who hears which event.

`location.<id>.orders` hears every event of a location (POS screens, API clients);
`location.<id>.kitchen.<STATION>` hears only the ticket events of one station (kitchen displays).
"""

STATIONS = ("KITCHEN", "BAR")


def orders_group(location_id: int) -> str:
    return f"location.{location_id}.orders"


def kitchen_group(location_id: int, station: str) -> str:
    return f"location.{location_id}.kitchen.{station}"


def is_ticket_event(event_type: str) -> bool:
    return event_type.startswith("ticket.")


def event_station(data: dict) -> str | None:
    """The station a ticket event belongs to (None for any other event)."""
    ticket = data.get("ticket")
    return ticket.get("station") if isinstance(ticket, dict) else None


def groups_for_event(*, location_id: int, event_type: str, data: dict) -> list[str]:
    groups = [orders_group(location_id)]
    station = event_station(data) if is_ticket_event(event_type) else None
    if station in STATIONS:
        groups.append(kitchen_group(location_id, station))
    return groups
