"""The outbox handler that publishes each committed event to the channel-layer groups of its location.

Registered in `RealtimeConfig.ready()`. The relay calls it right after commit and again from the sweeper, so
a socket may see an event twice; consumers drop any `seq` they have already sent (at least once, in order).

From sync code (gunicorn workers, Celery) the Redis layer is driven on one event-loop thread per process:
`async_to_sync` there starts a new loop per call, and channels-redis keeps its connections per loop, so each
event used to open a thread and a Redis connection (bench/RESULTS.md, "What the profile changed").
"""

import asyncio
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer

from cafepos.models import Event
from cafepos.observability import metrics

from .groups import groups_for_event

HANDLER_NAME = "realtime.publish"
MESSAGE_TYPE = "outbox.event"  # dispatched to the consumers' `outbox_event` method


def event_message(event: Event) -> dict:
    """What a client receives: the outbox event as it was committed."""
    return {"type": event.type, "seq": event.seq, "location_id": event.location_id, "data": event.data}


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


async def _group_send_all(layer, groups: list[str], message: dict) -> None:
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


def event_publish(event: Event) -> None:
    """Send the event to its groups; raises (the relay keeps the event for a later sweep) if the layer fails."""
    groups = groups_for_event(location_id=event.location_id, event_type=event.type, data=event.data)
    message = {"type": MESSAGE_TYPE, "event": event_message(event)}
    layer = get_channel_layer()
    if isinstance(layer, RedisChannelLayer):
        future = asyncio.run_coroutine_threadsafe(_group_send_all(layer, groups, message), _publishing_loop())
        future.result(PUBLISH_TIMEOUT)
    else:  # the in-memory layer's queues belong to the consumers' loop
        async_to_sync(_group_send_all)(layer, groups, message)
    metrics.event_published(event_type=event.type)
