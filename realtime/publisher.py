"""The outbox handler that publishes each committed event to the channel-layer group of its location.

Registered in `RealtimeConfig.ready()`. The relay calls it right after commit and again from the sweeper, so
a socket may see an event twice; consumers drop any `seq` they have already sent (at least once, in order).

The event's JSON text is encoded once here, into a frame that also carries what consumers read to order and
filter it (seq, type, station): each socket forwards the text as it is, so 100 sockets cost one encode.

From sync code (gunicorn workers, Celery) the Redis layer is driven on one event-loop thread per process:
`async_to_sync` there starts a new loop per call, and channels-redis keeps its connections per loop, so each
event used to open a thread and a Redis connection (bench/RESULTS.md, "What the profile changed").
"""

import asyncio
import json
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

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
        "text": json.dumps(event_message(event), separators=(",", ":")),
    }


PUBLISH_TIMEOUT = 30.0  # seconds; above the layer's Redis socket timeout, so Redis itself reports a failure

_loop: asyncio.AbstractEventLoop | None = None
_loop_pid: int | None = None
_loop_lock = threading.Lock()


def _publishing_loop() -> asyncio.AbstractEventLoop:
    """This process's publishing loop, started on first use (again in a forked child)."""
    global _loop, _loop_pid
    with _loop_lock:
        if _loop is None or _loop_pid != os.getpid():
            _loop, _loop_pid = asyncio.new_event_loop(), os.getpid()
            threading.Thread(target=_loop.run_forever, name="realtime-publisher", daemon=True).start()
        return _loop


def events_publish(events: list[Event]) -> None:
    """Send one location's events to its group in seq order; raises (the relay keeps the events for a later sweep)
    if the layer fails."""
    group, frames = location_group(events[0].location_id), [event_frame(event) for event in events]
    layer = get_channel_layer()

    async def send() -> None:
        for frame in frames:
            await layer.group_send(group, frame)

    if isinstance(layer, InMemoryChannelLayer):  # its queues belong to the consumers' loop
        async_to_sync(send)()
    else:
        asyncio.run_coroutine_threadsafe(send(), _publishing_loop()).result(PUBLISH_TIMEOUT)
    for event in events:
        metrics.event_published(event_type=event.type)
