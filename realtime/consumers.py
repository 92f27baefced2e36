"""The two sockets: `/ws/v1/kitchen/?station=KITCHEN|BAR` (one station's ticket events) and `/ws/v1/orders/`
(every event of the location). Both speak the protocol described in README ("Kitchen display and WebSockets").

A connection first authenticates (the page's session at once, or `{"type": "auth", "token"}` within
REALTIME_AUTH_TIMEOUT seconds), then joins its location's group, replays the outbox after `?since=<seq>` (or
after the location's latest seq when it gave none) while live events wait in a buffer, and goes live. Every
event leaves in seq order and at most once: anything at or below the last seq seen is dropped, which also
absorbs the relay's at-least-once redeliveries. The group hears every seq of the location, so a live event
that skips some (the pub/sub layer stores nothing: a process resubscribing after a Redis restart misses what
was published meanwhile) sends the socket back to the outbox for the missing ones first; so does a location's
latest seq read at a ping (once per half interval per process), for a location that stays quiet after a miss.
"""

import asyncio
import json
import logging
import time
import weakref
from types import SimpleNamespace
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.http.request import HttpHeaders
from django.utils import translation
from django.utils.translation import gettext as _

from cafepos import jsonbounds
from cafepos.api.params import parse_int
from cafepos.api.throttling import client_ip
from cafepos.exceptions import ApplicationError, error_body
from cafepos.observability import metrics

from .auth import (
    CLOSE_BAD_REQUEST,
    CLOSE_KEEPALIVE_TIMEOUT,
    CLOSE_TOO_MANY_SOCKETS,
    CLOSE_UNAUTHENTICATED,
    Listener,
    SocketRefused,
    session_listener,
    token_listener,
)
from .groups import STATIONS, location_group
from .publisher import MESSAGE_TYPE
from .selectors import event_frames_after, location_last_seq
from .services import TICKET_ACTIONS, ticket_act
from .slots import SocketSlots, socket_caps

logger = logging.getLogger(__name__)

REPLAY_PAGE = 200
LAYER_CONCURRENCY = 50  # group joins and leaves at once per process

_layer_gates: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = weakref.WeakKeyDictionary()


def _layer_gate() -> asyncio.Semaphore:
    """One semaphore per event loop: thousands of sockets opening or closing together (a restart) queue for the
    channel layer instead of all waiting on it at once."""
    loop = asyncio.get_running_loop()
    gate = _layer_gates.get(loop)
    if gate is None:
        gate = _layer_gates[loop] = asyncio.Semaphore(LAYER_CONCURRENCY)
    return gate


_seq_reads: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, tuple[float, asyncio.Task]]]" = (
    weakref.WeakKeyDictionary()
)


async def _latest_seq(location_id: int, *, max_age: float) -> int:
    """The location's latest committed seq, read from the database at most once per `max_age` seconds for all of
    this process's sockets (concurrent callers share the read)."""
    reads = _seq_reads.setdefault(asyncio.get_running_loop(), {})
    read_at, task = reads.get(location_id, (0.0, None))
    if task is None or time.monotonic() - read_at >= max_age:
        task = asyncio.ensure_future(database_sync_to_async(location_last_seq)(location_id))
        reads[location_id] = (time.monotonic(), task)
    return await task


MAX_REQUEST_ID_LENGTH = 100


def _query_int(params: dict, name: str, *, minimum: int) -> int | None:
    values = params.get(name)
    if not values:
        return None
    number = parse_int(values[0], minimum=minimum)
    if number is None:
        raise SocketRefused(
            CLOSE_BAD_REQUEST,
            "validation.invalid",
            _("`%(name)s` must be a whole number ≥ %(minimum)s.") % {"name": name, "minimum": minimum},
        )
    return number


def socket_client_address(scope) -> str:
    """The client address by the API's rule (`client_ip`): X-Forwarded-For only as far as API_NUM_PROXIES trusts."""
    headers = dict(scope.get("headers") or [])
    meta = {"REMOTE_ADDR": (scope.get("client") or ("",))[0]}
    if b"x-forwarded-for" in headers:
        meta["HTTP_X_FORWARDED_FOR"] = headers[b"x-forwarded-for"].decode("latin-1")
    return client_ip(SimpleNamespace(META=meta, headers=HttpHeaders(meta)))


CLOSE_INTERNAL_ERROR = 1011  # an unexpected exception: the client reconnects


def _request_id_valid(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and 0 < len(value) <= MAX_REQUEST_ID_LENGTH


class EventStreamConsumer(AsyncWebsocketConsumer):
    stream = ""  # "kitchen" or "orders": who may listen (auth.LISTEN_ROLES) and what is heard

    # -- what a stream hears ---------------------------------------------------------------------------------

    def parse_params(self, params: dict) -> None:
        self.station = None

    def wants(self, frame: dict) -> bool:
        """Whether this socket forwards the event (`publisher.event_frame`); it hears every one of its location."""
        return True

    # -- connection ------------------------------------------------------------------------------------------

    async def connect(self):
        self.listener: Listener | None = None
        self.last_seq: int | None = None
        self.replaying = False
        self.pending: list[dict] = []  # live frames that arrived while replaying
        self.closing = False
        self.answered_ping = True
        self.credential_arrived = False  # the auth deadline is for the credential arriving, not for checking it
        self.tasks: set[asyncio.Task] = set()
        self.slots = SocketSlots()
        await self.accept()
        metrics.websocket_connected(consumer=self.stream)
        self.counted = True
        try:
            await self.open()
        except SocketRefused as refused:
            await self.refuse(refused)
        except Exception:
            await self.crashed("connect")

    async def open(self) -> None:
        """Parse the URL, hold the address's slot, then authenticate by the session or wait for a token."""
        params = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.location_id = _query_int(params, "location", minimum=1)
        self.since = _query_int(params, "since", minimum=0)
        self.parse_params(params)
        await self.take_slots(socket_caps(address=socket_client_address(self.scope)))
        listener = await database_sync_to_async(session_listener)(
            self.scope, location_id=self.location_id, stream=self.stream
        )
        if listener is not None:
            await self.start(listener)
        else:
            self.spawn(self.auth_deadline())

    async def take_slots(self, caps) -> None:
        full = await self.slots.take(caps)
        if full is not None:
            kind = full.split(":", 1)[0]
            raise SocketRefused(
                CLOSE_TOO_MANY_SOCKETS,
                "socket.too_many",
                _("Too many open sockets for this %(kind)s; close some.") % {"kind": kind},
            )

    async def crashed(self, where: str) -> None:
        """An unexpected exception: log it, close with 1011 (the clean-up runs at the disconnect)."""
        logger.exception("socket %s failed", where)
        self.closing = False  # close_with's guard: this close must go out
        await self.close_with(CLOSE_INTERNAL_ERROR)

    async def websocket_disconnect(self, message):
        try:
            await self.leave_groups()
        finally:
            await super().websocket_disconnect(message)  # disconnect(), then StopConsumer

    async def disconnect(self, code):
        self.closing = True
        try:
            for task in self.tasks:
                task.cancel()
            await self.slots.release()
        finally:
            if getattr(self, "counted", False):
                metrics.websocket_disconnected(consumer=self.stream)
                self.counted = False

    async def refuse(self, refused: SocketRefused) -> None:
        await self.send_error(refused.code, refused.message)
        await self.close_with(refused.close_code)

    async def close_with(self, code: int) -> None:
        """Close from our side; leave the groups at once (a dead peer may never send its disconnect)."""
        if self.closing:
            return
        self.closing = True
        await self.leave_groups()
        await self.close(code=code)

    async def join_groups(self, groups: list[str]) -> None:
        async with _layer_gate():
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups.append(group)

    async def leave_groups(self) -> None:
        groups, self.groups = self.groups, []
        async with _layer_gate():
            for group in groups:
                try:
                    await self.channel_layer.group_discard(group, self.channel_name)
                except Exception:  # e.g. Redis unreachable: the layer expires the membership (a day)
                    logger.warning("could not leave %s", group, exc_info=True)

    def spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("socket task failed", exc_info=task.exception())
            if not self.closing:  # a keepalive or replay that died would leave a socket hearing nothing
                self.closing = True
                self.spawn(self.close(code=CLOSE_INTERNAL_ERROR))

    async def send_json(self, content: dict) -> None:
        await self.send_text(json.dumps(content, separators=(",", ":")))

    async def send_text(self, text: str) -> None:
        if self.closing:
            return
        try:
            await self.send(text_data=text)
        except OSError:  # the client is gone (uvicorn's ClientDisconnected); its disconnect follows
            self.closing = True

    async def send_error(self, code: str, message: str, request_id=None) -> None:
        """An error frame; its `message` (lazy text) in the location's language once the listener is known."""
        listener = getattr(self, "listener", None)
        with translation.override(listener.location.language if listener else settings.LANGUAGE_CODE):
            error = error_body(code, message)["error"]  # the one error renderer: redacted like the API's
        await self.send_json({"type": "error", "request_id": request_id, "code": code, "message": error["message"]})

    # -- authentication --------------------------------------------------------------------------------------

    async def auth_deadline(self) -> None:
        await asyncio.sleep(settings.REALTIME_AUTH_TIMEOUT)
        if self.listener is None and not self.credential_arrived:
            await self.refuse(SocketRefused(CLOSE_UNAUTHENTICATED, "auth.timeout", _("No credential arrived in time.")))

    async def authenticate(self, message: dict) -> None:
        if message.get("type") != "auth":
            await self.refuse(
                SocketRefused(CLOSE_UNAUTHENTICATED, "auth.required", _('Send {"type": "auth", "token": …} first.'))
            )
            return
        self.credential_arrived = True
        try:
            listener = await database_sync_to_async(token_listener)(
                message.get("token"), location_id=self.location_id, stream=self.stream
            )
            await self.start(listener)
        except SocketRefused as refused:
            await self.refuse(refused)

    async def start(self, listener: Listener) -> None:
        """Authenticated: join the group (buffering), say so, replay after `since`, then go live."""
        if self.closing:
            return
        await self.take_slots(socket_caps(user_id=listener.user.pk, terminal_id=listener.terminal_id))
        self.listener = listener
        self.replaying = True
        location_id = listener.location.pk
        await self.join_groups([location_group(location_id)])
        if self.since is None:  # the client loads its state after auth.ok: what committed until now is in it
            self.since = await database_sync_to_async(location_last_seq)(location_id)
        self.last_seq = self.since
        # Sent once in the group: whatever commits after the client reads this reaches it.
        await self.send_json({"type": "auth.ok", "location_id": location_id, "role": listener.role})
        self.spawn(self.keepalive())
        self.spawn(self.replay_then_go_live())

    # -- events ----------------------------------------------------------------------------------------------

    async def dispatch(self, message: dict) -> None:
        """Every message skips Channels' per-message `close_old_connections`, a hop to the one sync thread per
        socket and message: each database call here goes through `database_sync_to_async`, which closes old
        connections itself. So live events and frames (a sign-in among them) never queue behind that thread when a
        burst of sign-ins keeps it busy. Relies on `channels.consumer.get_handler_name` (pinned by
        test_a_credential_that_arrived_in_time_is_not_timed_out_while_it_is_checked)."""
        if message["type"] == MESSAGE_TYPE:
            await self.outbox_event(message)
            return
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def outbox_event(self, frame: dict) -> None:
        """A live event from the channel layer (`publisher.event_frame`)."""
        if self.listener is None or frame["location_id"] != self.listener.location.pk:
            return
        if not self.replaying and frame["seq"] > self.last_seq + 1:  # missed some: fetch them first
            self.replaying = True
            self.spawn(self.replay_then_go_live())
        if self.replaying:
            self.pending.append(frame)
        else:
            await self.deliver(frame)

    async def deliver(self, frame: dict) -> None:
        if frame["seq"] <= self.last_seq:
            return  # sent already (replayed, or relayed twice)
        self.last_seq = frame["seq"]
        if self.wants(frame):
            await self.send_text(frame["text"])

    async def replay_then_go_live(self) -> None:
        try:
            await self.replay()
        finally:
            while self.pending:
                batch, self.pending = sorted(self.pending, key=lambda frame: frame["seq"]), []
                for frame in batch:
                    await self.deliver(frame)
            self.replaying = False  # no await between the last empty check and this: nothing slips through

    async def replay(self) -> None:
        """Send every committed event after `last_seq` in order; `resync.required` when they are gone or too many."""
        location_id = self.listener.location.pk
        latest = await database_sync_to_async(location_last_seq)(location_id)
        if self.last_seq > latest or latest - self.last_seq > settings.REALTIME_RESYNC_MAX_EVENTS:
            await self.resync_required(latest)
            return
        while self.last_seq < latest:
            frames = await database_sync_to_async(event_frames_after)(
                location_id=location_id, seq=self.last_seq, limit=REPLAY_PAGE
            )
            if not frames or frames[0]["seq"] != self.last_seq + 1:
                await self.resync_required(latest)  # purged from the outbox
                return
            for frame in frames:
                if frame["seq"] != self.last_seq + 1:
                    await self.resync_required(latest)
                    return
                await self.deliver(frame)

    async def resync_required(self, latest: int) -> None:
        """Too far behind: the client reloads its state, then hears events after `latest` live."""
        await self.send_json({"type": "resync.required", "seq": latest})
        self.last_seq = max(self.last_seq, latest)

    # -- keepalive -------------------------------------------------------------------------------------------

    async def keepalive(self) -> None:
        interval = settings.REALTIME_PING_INTERVAL
        while not self.closing:
            await asyncio.sleep(interval)
            if not self.answered_ping:
                await self.close_with(CLOSE_KEEPALIVE_TIMEOUT)
                return
            self.answered_ping = False
            await self.slots.refresh()
            await self.send_json({"type": "ping"})
            await self.catch_up(max_age=interval / 2)

    async def catch_up(self, *, max_age: float) -> None:
        """Replay from the outbox what this socket has not seen although its location committed it (a live message
        this process missed, and no later event to reveal the gap)."""
        try:
            latest = await _latest_seq(self.listener.location.pk, max_age=max_age)
        except Exception:  # the database is unreachable: the next ping tries again
            logger.warning("could not read the latest seq of location %s", self.listener.location.pk, exc_info=True)
            return
        if not self.replaying and latest > self.last_seq:
            self.replaying = True
            self.spawn(self.replay_then_go_live())

    # -- client messages -------------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        """Any frame: a malformed one gets an `error` and the socket stays open (before authentication too, until
        the auth deadline); an unexpected exception closes with 1011."""
        try:
            await self.handle_frame(text_data)
        except Exception:
            await self.crashed("receive")

    async def handle_frame(self, text_data) -> None:
        self.answered_ping = True  # any frame proves the peer alive
        message = None
        if text_data is not None:
            try:
                message = jsonbounds.loads(text_data)
            except ValueError:
                message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_error("message.malformed", _('Send a JSON object with a "type".'))
            return
        if self.listener is None:
            if not self.closing:
                await self.authenticate(message)
            return
        with translation.override(self.listener.location.language):  # refusals read as the location's screens
            await self.dispatch_frame(message["type"], message)

    async def dispatch_frame(self, kind: str, message: dict) -> None:
        if kind == "pong":
            return
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind in TICKET_ACTIONS:
            await self.ticket_action(kind, message)
        elif kind == "auth":
            await self.send_error("auth.already", _("This socket is already authenticated."))
        else:
            await self.send_error("message.unknown_type", _("Unknown message type %(type)r.") % {"type": kind[:50]})

    async def ticket_action(self, action: str, message: dict) -> None:
        request_id = message.get("request_id")
        if not _request_id_valid(request_id):
            await self.send_error("validation.invalid", _("Send a request_id (a string or a number)."))
            return
        ticket_id = message.get("ticket_id")
        if isinstance(ticket_id, bool) or not isinstance(ticket_id, int) or ticket_id < 1:
            await self.send_error("validation.invalid", _("ticket_id must be a positive integer."), request_id)
            return
        try:
            await database_sync_to_async(ticket_act)(
                user=self.listener.user,
                location=self.listener.location,
                station=self.station,
                ticket_id=ticket_id,
                action=action,
            )
        except ApplicationError as error:
            await self.send_error(error.code, error.message, request_id)
        except Exception:
            logger.exception("%s failed on ticket %s", action, ticket_id)
            await self.send_error("server.error", _("The action failed; try again."), request_id)
        else:
            await self.send_json({"type": "ack", "request_id": request_id})


class KitchenConsumer(EventStreamConsumer):
    stream = "kitchen"

    def parse_params(self, params: dict) -> None:
        station = (params.get("station") or [""])[0]
        if station not in STATIONS:
            raise SocketRefused(CLOSE_BAD_REQUEST, "validation.invalid", _("Add ?station=KITCHEN or ?station=BAR."))
        self.station = station

    def wants(self, frame: dict) -> bool:
        return frame["station"] == self.station


class OrdersConsumer(EventStreamConsumer):
    stream = "orders"
