"""Open-socket caps per user, per terminal and per client address, counted cluster-wide.

Each capped key (`user:5`, `terminal:3`, `address:203.0.113.7`) is a Redis sorted set of the sockets holding a
slot, scored by when the slot expires. One Lua script takes (all keys or none), refreshes (at every keepalive
ping) and releases; expired members are dropped before counting, so a process that crashed frees its slots
within `slot_ttl()` without anyone cleaning up. Without REDIS_URL (embedded mode) the same is counted in
process. If Redis fails, the socket is let in and a warning is logged (as the request rate limiter does).
"""

import asyncio
import logging
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from redis import asyncio as aioredis

logger = logging.getLogger(__name__)

REDIS_CONNECTIONS = 20  # per process and event loop
SLOT_TTL_PINGS = 2.5  # a slot outlives two missed refreshes; a live socket refreshes it at every ping

# KEYS: the sets; ARGV: op, member, now (ms), expires at (ms), then one cap per key (0: no cap).
# Returns 0 when done, else the 1-based index of the first key at its cap (nothing taken then).
_SCRIPT = """
local op, member, now, expires = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local ttl = expires - now
if op == 'release' then
  for _, key in ipairs(KEYS) do redis.call('ZREM', key, member) end
  return 0
end
for index, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local cap = tonumber(ARGV[4 + index])
  if op == 'take' and cap > 0 and not redis.call('ZSCORE', key, member) and redis.call('ZCARD', key) >= cap then
    return index
  end
end
for _, key in ipairs(KEYS) do
  if op == 'take' or redis.call('ZSCORE', key, member) then
    redis.call('ZADD', key, expires, member)
    redis.call('PEXPIRE', key, ttl)
  end
end
return 0
"""


def slot_ttl() -> float:
    return settings.REALTIME_PING_INTERVAL * SLOT_TTL_PINGS


def socket_caps(*, user_id: int | None = None, terminal_id: int | None = None, address: str | None = None):
    """The (key, cap) pairs a socket must fit under; a cap of 0 (or less) is no cap."""
    caps = []
    if user_id is not None:
        caps.append((f"user:{user_id}", settings.REALTIME_MAX_SOCKETS_PER_USER))
    if terminal_id is not None:
        caps.append((f"terminal:{terminal_id}", settings.REALTIME_MAX_SOCKETS_PER_TERMINAL))
    if address:
        caps.append((f"address:{address[:100]}", settings.REALTIME_MAX_SOCKETS_PER_ADDRESS))
    return [(key, max(0, cap)) for key, cap in caps]


@dataclass
class SocketSlots:
    """The slots one socket holds. `take` returns the key at its cap (nothing taken), or None."""

    member: str = field(default_factory=lambda: uuid.uuid4().hex)
    held: list[str] = field(default_factory=list)

    async def take(self, caps: list[tuple[str, int]]) -> str | None:
        caps = [(key, cap) for key, cap in caps if key not in self.held]
        if not caps:
            return None
        refused = await _run("take", self.member, caps)
        if refused:
            return caps[refused - 1][0]
        self.held.extend(key for key, _ in caps)
        return None

    async def refresh(self) -> None:
        if self.held:
            await _run("refresh", self.member, [(key, 0) for key in self.held])

    async def release(self) -> None:
        held, self.held = self.held, []
        if held:
            await _run("release", self.member, [(key, 0) for key in held])


async def _run(op: str, member: str, caps: list[tuple[str, int]]) -> int:
    now = int(time.time() * 1000)
    expires = now + max(1, int(slot_ttl() * 1000))
    try:
        if settings.REDIS_URL:
            keys = [cache.make_key(f"socket-slots:{key}") for key, _ in caps]
            return int(await _script()(keys=keys, args=[op, member, now, expires, *(cap for _, cap in caps)]))
        return _local.run(op, member, now, expires, caps)
    except Exception:  # Redis unreachable: let the socket in rather than refuse every one
        logger.warning("socket slots: %s failed, not counted", op, exc_info=True)
        return 0


_scripts: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, object]" = weakref.WeakKeyDictionary()


def _script():
    """The script on an asyncio Redis client of this event loop (a client cannot be shared across loops)."""
    loop = asyncio.get_running_loop()
    script = _scripts.get(loop)
    if script is None:
        # A bounded pool callers wait on: a flood of handshakes queues here instead of failing open.
        pool = aioredis.BlockingConnectionPool.from_url(
            settings.REDIS_URL, max_connections=REDIS_CONNECTIONS, timeout=10, socket_timeout=5
        )
        client = aioredis.Redis(connection_pool=pool)
        script = _scripts[loop] = client.register_script(_SCRIPT)
    return script


class _LocalSlots:
    """The script's semantics in one process (embedded mode, no Redis)."""

    def __init__(self):
        self.sets: dict[str, dict[str, int]] = {}
        self.lock = threading.Lock()

    def run(self, op: str, member: str, now: int, expires: int, caps: list[tuple[str, int]]) -> int:
        with self.lock:
            if op == "release":
                for key, _ in caps:
                    self.sets.get(key, {}).pop(member, None)
                    if not self.sets.get(key, True):
                        del self.sets[key]
                return 0
            for index, (key, cap) in enumerate(caps, start=1):
                members = self.sets.setdefault(key, {})
                for expired in [name for name, until in members.items() if until <= now]:
                    del members[expired]
                if op == "take" and 0 < cap <= len(members) and member not in members:
                    return index
            for key, _ in caps:
                if op == "take" or member in self.sets[key]:
                    self.sets[key][member] = expires
            return 0


_local = _LocalSlots()
