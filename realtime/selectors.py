"""Reads for sockets and the kitchen page: the outbox's position and events of a location."""

from cafepos.models import LocationSequence
from cafepos.outbox import events_since

from .publisher import event_frame


def location_last_seq(location_id: int) -> int:
    """The seq of the location's latest committed event (0 before its first)."""
    last = LocationSequence.objects.filter(location_id=location_id).values_list("last_seq", flat=True).first()
    return last or 0


def event_frames_after(*, location_id: int, seq: int, limit: int) -> list[dict]:
    """Committed events after `seq`, oldest first, as the publisher frames them (`publisher.event_frame`)."""
    return [event_frame(event) for event in events_since(location_id=location_id, seq=seq, limit=limit)]
