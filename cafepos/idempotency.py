"""Exactly-once creating operations: the idempotency store.

A caller wraps its effect in `idempotent(...)`. The key is claimed (IN_PROGRESS) in its own committed
transaction, so a concurrent request with the same key sees the claim at once and gets
`idempotency.in_progress`; the effect then runs in one transaction with the row turning DONE, so the effect
and the stored response commit together or not at all. Call it outside `transaction.atomic()`: inside an
outer transaction it is still exactly once, but a concurrent duplicate waits for that transaction instead
of being refused at once.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ApplicationError
from .models import IdempotencyKey

# A claim older than this belongs to a crashed process and may be taken over. Longer than any request runs.
TAKEOVER_AFTER = timedelta(seconds=60)
MIN_RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255
MAX_SCOPE_LENGTH = 200

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IdempotentResult:
    status: int
    body: Any
    replayed: bool


class _Encoder(DjangoJSONEncoder):
    """JSON for fingerprints and stored bodies: Decimal, dates and UUIDs as strings, model instances as their pk."""

    def default(self, o):
        if isinstance(o, models.Model):
            return [o._meta.label_lower, o.pk]
        return super().default(o)


def _canonical_json(value: Any) -> str:
    return json.dumps(value, cls=_Encoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_fingerprint(request: Any) -> str:
    """SHA-256 of the request's canonical JSON (sorted keys, no whitespace): equal requests, equal fingerprints."""
    return hashlib.sha256(_canonical_json(request).encode()).hexdigest()


def _validate(scope: str, key: str) -> None:
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ApplicationError(
            "idempotency.invalid_key",
            _("The idempotency key must be 1 to %(max)s printable characters.") % {"max": MAX_KEY_LENGTH},
            {"idempotency_key": [_("Invalid idempotency key.")]},
            status=400,
        )
    if not scope or len(scope) > MAX_SCOPE_LENGTH:
        raise ValueError(f"idempotency scope must be 1 to {MAX_SCOPE_LENGTH} characters, got {scope!r}")


def _claim(scope: str, key: str, fingerprint: str) -> IdempotencyKey | IdempotentResult:
    """Our IN_PROGRESS row (committed), or the stored result of a finished request with this key."""
    while True:
        # Outside a transaction the INSERT commits on its own (no BEGIN and COMMIT round trips); inside one,
        # a savepoint keeps a duplicate key from breaking the caller's transaction.
        in_transaction = transaction.get_connection().in_atomic_block
        try:
            with transaction.atomic() if in_transaction else nullcontext():
                return IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
        except IntegrityError:
            pass
        with transaction.atomic():
            row = IdempotencyKey.objects.select_for_update().filter(scope=scope, key=key).first()
            if row is None:  # its request failed and freed the key in between: claim again
                continue
            if row.fingerprint != fingerprint:
                raise ApplicationError(
                    "idempotency.key_reused",
                    _("This idempotency key was already used for a different request."),
                    status=409,
                )
            if row.state == IdempotencyKey.State.DONE:
                return IdempotentResult(status=row.response_status, body=row.response_body, replayed=True)
            now = timezone.now()
            if row.claimed_at > now - TAKEOVER_AFTER:
                raise _in_progress()
            row.claimed_at = now
            row.save(update_fields=["claimed_at"])
            return row


def _in_progress() -> ApplicationError:
    return ApplicationError(
        "idempotency.in_progress",
        _("A request with this idempotency key is still being processed; retry shortly."),
        status=409,
        retry_after=1,
    )


def _release(claim: models.QuerySet) -> None:
    """Free the key after a failed run; if even that fails, the claim expires by takeover."""
    try:
        claim.delete()
    except DatabaseError:
        logger.exception("could not free an idempotency key after a failed request")


def idempotent(
    *,
    scope: str,
    key: str,
    request: Any,
    execute: Callable[..., tuple[int, Any]],
    prepare: Callable[[], AbstractContextManager] | None = None,
) -> IdempotentResult:
    """Run `execute` once per (scope, key); a repeat of the same request gets the stored (status, body).

    `request` is everything that defines the operation (JSON-able; Decimal, dates and model instances are
    fine). `execute` returns (HTTP status, JSON-able body). The body comes back as stored JSON both the first
    time and on replay, so callers see one shape. If `execute` raises, nothing is stored, the key is free
    again and the exception propagates.

    `prepare`, when given, is entered once the key is claimed, outside any transaction, and `execute` gets what
    it yields: the step that talks to the outside world without holding a lock (charging a card). It is left
    after the transaction, with its exception if `execute` or the commit failed (to void that charge).
    """
    _validate(scope, key)
    claim = _claim(scope, key, request_fingerprint(request))
    if isinstance(claim, IdempotentResult):
        return claim
    ours = IdempotencyKey.objects.filter(
        pk=claim.pk, state=IdempotencyKey.State.IN_PROGRESS, claimed_at=claim.claimed_at
    )
    try:
        with prepare() if prepare is not None else nullcontext() as prepared, transaction.atomic():
            status, body = execute(prepared) if prepare is not None else execute()
            body = json.loads(_canonical_json(body))
            # Zero rows: a retry took our claim over (we ran past TAKEOVER_AFTER); roll our effect back.
            if not ours.update(state=IdempotencyKey.State.DONE, response_status=status, response_body=body):
                raise _in_progress()
    except BaseException:
        _release(ours)
        raise
    return IdempotentResult(status=status, body=body, replayed=False)


def idempotency_keys_purge(older_than: timedelta = timedelta(hours=48)) -> int:
    """Delete keys created before `older_than` ago (never less than 24 h); returns how many."""
    if older_than < MIN_RETENTION:
        raise ValueError(f"idempotency keys are kept at least {MIN_RETENTION}")
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
