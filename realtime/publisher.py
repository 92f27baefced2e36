"""The outbox handler that publishes each committed event to the channel-layer groups of its location.

Registered in `RealtimeConfig.ready()`. The relay calls it right after commit and again from the sweeper, so
a socket may see an event twice; consumers drop any `seq` they have already sent (at least once, in order).
"""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from cafepos.models import Event
from cafepos.observability import metrics

from .groups import groups_for_event

HANDLER_NAME = "realtime.publish"
MESSAGE_TYPE = "outbox.event"  # dispatched to the consumers' `outbox_event` method


def event_message(event: Event) -> dict:
    """What a client receives: the outbox event as it was committed."""
    return {"type": event.type, "seq": event.seq, "location_id": event.location_id, "data": event.data}


async def _group_send_all(groups: list[str], message: dict) -> None:
    layer = get_channel_layer()
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


def event_publish(event: Event) -> None:
    groups = groups_for_event(location_id=event.location_id, event_type=event.type, data=event.data)
    async_to_sync(_group_send_all)(groups, {"type": MESSAGE_TYPE, "event": event_message(event)})
    metrics.event_published(event_type=event.type)
