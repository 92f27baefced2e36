"""The outbox handler that publishes each committed event to the channel-layer group of its location.

Registered in `RealtimeConfig.ready()`. The relay calls it right after commit and again from the sweeper, so
a socket may see an event twice; consumers drop any `seq` they have already sent (at least once, in order).

The event's JSON text is encoded once here, into a frame that also carries what consumers read to order and
filter it (seq, type, station): each socket forwards the text as it is, so 100 sockets cost one encode.

The relay runs in sync code, so a Redis layer is published to directly (`redis_layer.py`).
"""

import json

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from cafepos.models import Event
from cafepos.observability import metrics

from . import redis_layer
from .groups import event_station, location_group

HANDLER_NAME = "realtime.publish"
MESSAGE_TYPE = "outbox.event"  # dispatched to the consumers' `outbox_event` method


def event_message(event: Event) -> dict:
    """What a client receives: the outbox event as it was committed."""
    return {"type": event.type, "seq": event.seq, "location_id": event.location_id, "data": event.data}


def event_frame(event: Event) -> dict:
    """The channel-layer message of one event: its text as clients receive it, and what consumers filter on."""
    return {
        "type": MESSAGE_TYPE,
        "seq": event.seq,
        "location_id": event.location_id,
        "station": event_station(event.type, event.data),
        # The relay gives events as written (DjangoJSONEncoder stores them), not always as read back.
        "text": json.dumps(event_message(event), cls=DjangoJSONEncoder, separators=(",", ":")),
    }


def events_publish(events: list[Event]) -> None:
    """Send one location's events to its group in seq order; raises (the relay keeps the events for a later sweep)
    if the layer fails."""
    group, frames = location_group(events[0].location_id), [event_frame(event) for event in events]
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):  # its queues belong to the consumers' loop

        async def send() -> None:
            for frame in frames:
                await layer.group_send(group, frame)

        async_to_sync(send)()
    else:
        redis_layer.publish(layer, group, frames)
    for event in events:
        metrics.event_published(event_type=event.type)
