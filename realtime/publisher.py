"""The outbox handler that publishes each committed event to the channel-layer group of its location.

Registered in `RealtimeConfig.ready()`. The relay calls it right after commit and again from the sweeper, so
a socket may see an event twice; consumers drop any `seq` they have already sent (at least once, in order).

The event's JSON text is encoded once here, into a frame that also carries what consumers read to order and
filter it (seq, type, station): each socket forwards the text as it is, so 100 sockets cost one encode.

The relay runs in sync code (gunicorn workers, Celery, Django's sync threads under uvicorn), so a Redis layer is
published to directly: the channel the layer subscribes a group to, the layer's own serializer, every event of a
relay in one pipeline on a sync client (in order, one round trip). Driving the async layer instead cost a hop to
an event-loop thread and one awaited round trip per event (bench/RESULTS.md, "What the profile changed").
"""

import json
import os

import redis
from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from cafepos.models import Event
from cafepos.observability import metrics

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


_client: redis.Redis | None = None
_client_pid: int | None = None


def _layer_config() -> dict:
    return settings.CHANNEL_LAYERS["default"]["CONFIG"]


def group_channel(group: str) -> str:
    """The Redis channel `RedisPubSubChannelLayer` subscribes a group's sockets to (its `_get_group_channel_name`)."""
    return f"{_layer_config()['prefix']}__group__{group}"


def _redis() -> redis.Redis:
    """This process's client for the layer's Redis (one host, as the settings configure it), made again in a fork."""
    global _client, _client_pid
    if _client is None or _client_pid != os.getpid():
        [host] = _layer_config()["hosts"]
        _client, _client_pid = redis.Redis.from_url(host["address"], socket_timeout=host["socket_timeout"]), os.getpid()
    return _client


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
        pipeline, channel = _redis().pipeline(transaction=False), group_channel(group)
        for frame in frames:
            pipeline.publish(channel, layer.serialize(frame))
        pipeline.execute()
    for event in events:
        metrics.event_published(event_type=event.type)
