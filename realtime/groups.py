"""Channel-layer group names (ASCII letters, digits, hyphens and periods only) and which station an event is for.

Every socket of a location joins `location.<id>.events` and hears every event of it, in seq order, so a socket
notices a seq it missed; a kitchen display forwards only its station's ticket events (`event_station`).
"""

STATIONS = ("KITCHEN", "BAR")


def location_group(location_id: int) -> str:
    return f"location.{location_id}.events"


def event_station(event_type: str, data: dict) -> str | None:
    """The station a ticket event belongs to (None for any other event)."""
    ticket = data.get("ticket") if event_type.startswith("ticket.") else None
    return ticket.get("station") if isinstance(ticket, dict) else None
