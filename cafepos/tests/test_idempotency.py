import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cafepos.exceptions import ApplicationError
from cafepos.idempotency import idempotency_keys_purge, idempotent, request_fingerprint
from cafepos.models import Event, IdempotencyKey
from cafepos.outbox import event_emit
from cafepos.tests.concurrency import run_concurrently
from cafepos.tests.factories import IdempotencyKeyFactory

pytestmark = pytest.mark.django_db


class Effect:
    """An `execute` that writes a real row (an outbox event) and counts its runs."""

    def __init__(self, status=201, body=None, *, fail_with=None, sleep=0.0):
        self.status, self.body, self.fail_with, self.sleep = status, body or {"ok": True}, fail_with, sleep
        self.runs = 0

    def __call__(self):
        self.runs += 1
        event_emit(location_id=1, type="test.effect", data={})
        time.sleep(self.sleep)
        if self.fail_with:
            raise self.fail_with
        return self.status, self.body


def test_same_key_and_request_replays_the_stored_result_without_running_again():
    first_effect, second_effect = Effect(201, {"order": 7}), Effect(201, {"order": 8})

    first = idempotent(scope="user:5", key="abc", request={"total": 350}, execute=first_effect)
    second = idempotent(scope="user:5", key="abc", request={"total": 350}, execute=second_effect)

    assert (first.status, first.body, first.replayed) == (201, {"order": 7}, False)
    assert (second.status, second.body, second.replayed) == (201, {"order": 7}, True)
    assert (first_effect.runs, second_effect.runs) == (1, 0)
    assert Event.objects.count() == 1
    assert IdempotencyKey.objects.get().state == IdempotencyKey.State.DONE


def test_same_key_with_another_request_is_refused_as_key_reused():
    idempotent(scope="user:5", key="abc", request={"total": 350}, execute=Effect())

    with pytest.raises(ApplicationError) as refused:
        idempotent(scope="user:5", key="abc", request={"total": 351}, execute=Effect())

    assert (refused.value.code, refused.value.status) == ("idempotency.key_reused", 409)
    assert Event.objects.count() == 1


def test_the_same_key_in_another_scope_is_another_request():
    effect = Effect()

    idempotent(scope="terminal:3", key="abc", request={}, execute=effect)
    result = idempotent(scope="terminal:4", key="abc", request={}, execute=effect)

    assert result.replayed is False
    assert effect.runs == 2


def test_failed_execute_leaves_nothing_and_frees_the_key_for_a_retry():
    failing = Effect(fail_with=ApplicationError("menu.sold_out", "Sold out"))

    with pytest.raises(ApplicationError, match="Sold out"):
        idempotent(scope="user:5", key="abc", request={"a": 1}, execute=failing)

    assert not IdempotencyKey.objects.exists()
    assert not Event.objects.exists()  # the effect rolled back with the failure
    retried = idempotent(scope="user:5", key="abc", request={"a": 1}, execute=Effect())
    assert retried.replayed is False
    assert Event.objects.count() == 1


def test_an_unexpected_error_also_frees_the_key():
    with pytest.raises(ZeroDivisionError):
        idempotent(scope="user:5", key="abc", request={}, execute=lambda: (200, 1 / 0))

    assert not IdempotencyKey.objects.exists()


def test_a_request_still_in_progress_is_refused():
    IdempotencyKeyFactory(scope="user:5", key="abc", fingerprint=request_fingerprint({"a": 1}))
    effect = Effect()

    with pytest.raises(ApplicationError) as refused:
        idempotent(scope="user:5", key="abc", request={"a": 1}, execute=effect)

    assert (refused.value.code, refused.value.status) == ("idempotency.in_progress", 409)
    assert effect.runs == 0


def test_a_claim_left_by_a_crashed_process_is_taken_over():
    IdempotencyKeyFactory(
        scope="user:5",
        key="abc",
        fingerprint=request_fingerprint({"a": 1}),
        claimed_at=timezone.now() - timedelta(minutes=2),
    )
    effect = Effect()

    result = idempotent(scope="user:5", key="abc", request={"a": 1}, execute=effect)

    assert (result.replayed, effect.runs) == (False, 1)
    assert IdempotencyKey.objects.get().state == IdempotencyKey.State.DONE


def test_the_first_response_and_its_replay_have_the_same_json_shape():
    def execute():
        return 201, {"total": Decimal("3.50"), "lines": (1, 2)}

    first = idempotent(scope="user:5", key="abc", request={}, execute=execute)
    replay = idempotent(scope="user:5", key="abc", request={}, execute=execute)

    assert first.body == replay.body == {"total": "3.50", "lines": [1, 2]}


def test_the_fingerprint_ignores_key_order_but_not_values():
    assert request_fingerprint({"a": 1, "b": [1, 2]}) == request_fingerprint({"b": [1, 2], "a": 1})
    assert request_fingerprint({"a": 1}) != request_fingerprint({"a": 2})
    assert request_fingerprint({"price": Decimal("3.50")}) != request_fingerprint({"price": Decimal("3.60")})


@pytest.mark.parametrize("key", ["", "x" * 256, "line\nbreak", "tab\there", None, 42])
def test_invalid_keys_are_refused(key):
    effect = Effect()

    with pytest.raises(ApplicationError) as refused:
        idempotent(scope="user:5", key=key, request={}, execute=effect)

    assert (refused.value.code, refused.value.status) == ("idempotency.invalid_key", 400)
    assert effect.runs == 0


def test_a_key_of_255_printable_characters_is_accepted():
    result = idempotent(scope="user:5", key="é-" * 127 + "k", request={}, execute=Effect())

    assert result.replayed is False


def test_purge_deletes_only_keys_past_retention():
    old = IdempotencyKeyFactory(created_at=timezone.now() - timedelta(hours=49))
    kept = IdempotencyKeyFactory(created_at=timezone.now() - timedelta(hours=47))

    assert idempotency_keys_purge() == 1

    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not IdempotencyKey.objects.filter(pk=old.pk).exists()
    with pytest.raises(ValueError):
        idempotency_keys_purge(older_than=timedelta(hours=23))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_have_one_effect():
    # given four clients sending the same request with the same key at once, and an effect that takes a while
    effect = Effect(201, {"order": 1}, sleep=0.3)

    # when
    results = run_concurrently(
        4, lambda _: idempotent(scope="terminal:3", key="double-tap", request={"a": 1}, execute=effect)
    )

    # then one ran it; each other one was told it is in progress or got the stored result
    assert effect.runs == 1
    assert Event.objects.count() == 1
    fresh = [r for r in results if not isinstance(r, Exception) and not r.replayed]
    others = [r for r in results if r not in fresh]
    assert len(fresh) == 1
    for other in others:
        if isinstance(other, ApplicationError):
            assert other.code == "idempotency.in_progress"
        else:
            assert (other.replayed, other.body) == (True, {"order": 1})
