"""Socket conversations for tests outside realtime/, on whichever channel layer the settings give.

As realtime/tests/test_sockets.py does: a fresh layer for each event loop (channels-redis ties receiving to
one loop) and every socket disconnected in its own loop (a consumer cancelled in bulk when a loop closes can
leave channels-redis waiting forever).
"""

import contextlib

from channels.layers import channel_layers

from testing.cafes import socket


@contextlib.asynccontextmanager
async def conversation(path: str, **options):
    channel_layers.backends.clear()
    client = socket(path, **options)
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):  # refused at the handshake, or already closed by the server
            await client.disconnect(timeout=5)
