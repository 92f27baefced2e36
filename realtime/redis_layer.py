"""Publishing to channels-redis's pub/sub layer from sync code, straight through a Redis client.

The relay runs in sync code (gunicorn workers, Celery, Django's sync threads under uvicorn). It publishes every
event of a relay in one pipeline on a sync client (in order, one round trip); driving the async layer instead cost
a hop to an event-loop thread and one awaited round trip per event (bench/RESULTS.md, "What the profile changed").

It relies on two private details of channels-redis's `RedisPubSubChannelLayer`, pinned by
`realtime/tests/test_redis_layer.py`: the Redis channel a group's sockets are subscribed on
(`RedisPubSubLoopLayer._get_group_channel_name`) and one shard (one host: `_get_shard` then always picks it).
"""

import os

import redis
from django.conf import settings

_client: redis.Redis | None = None
_client_pid: int | None = None


def _layer_config() -> dict:
    return settings.CHANNEL_LAYERS["default"]["CONFIG"]


def group_channel(group: str) -> str:
    """The Redis channel `RedisPubSubChannelLayer` subscribes a group's sockets to."""
    return f"{_layer_config()['prefix']}__group__{group}"


def _redis() -> redis.Redis:
    """This process's client for the layer's one Redis host, made again in a fork; a second host fails loudly."""
    global _client, _client_pid
    if _client is None or _client_pid != os.getpid():
        [host] = _layer_config()["hosts"]
        _client, _client_pid = redis.Redis.from_url(host["address"], socket_timeout=host["socket_timeout"]), os.getpid()
    return _client


def publish(layer, group: str, frames: list[dict]) -> None:
    """Publish `frames` to `group` in order, in one round trip, as the layer's `group_send` would."""
    pipeline, channel = _redis().pipeline(transaction=False), group_channel(group)
    for frame in frames:
        pipeline.publish(channel, layer.serialize(frame))
    pipeline.execute()
