"""The private details of channels-redis that `realtime/redis_layer.py` publishes by: an upgrade that changes them
fails here, in every mode (no Redis is contacted), instead of leaving sockets silently without events."""

import pytest
from channels_redis.pubsub import RedisPubSubChannelLayer

from realtime import redis_layer

pytestmark = pytest.mark.asyncio

BACKEND = "channels_redis.pubsub.RedisPubSubChannelLayer"
CONFIG = {"hosts": [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 15}], "prefix": "pinned:channels"}


@pytest.fixture
def pub_sub_settings(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": BACKEND, "CONFIG": CONFIG}}


async def test_a_group_is_published_on_the_channel_the_layer_subscribes_its_sockets_to(pub_sub_settings):
    loop_layer = RedisPubSubChannelLayer(**CONFIG)._get_layer()

    assert redis_layer.group_channel("location.7") == loop_layer._get_group_channel_name("location.7")


async def test_with_one_host_every_group_is_on_the_one_shard_the_client_publishes_to(pub_sub_settings):
    loop_layer = RedisPubSubChannelLayer(**CONFIG)._get_layer()

    assert len(loop_layer._shards) == 1
    assert loop_layer._get_shard(redis_layer.group_channel("location.7")) is loop_layer._shards[0]


async def test_a_frame_is_encoded_by_the_layer_as_its_subscribers_decode_it():
    layer = RedisPubSubChannelLayer(**CONFIG)
    frame = {"type": "outbox.event", "seq": 3, "text": "{}"}

    assert layer.deserialize(layer.serialize(frame)) == frame
