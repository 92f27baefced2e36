"""A client that retries after a dropped request never creates a duplicate order or payment.

The server (gunicorn, production settings) is killed with SIGKILL while an order create and a payment are both
inside their transactions: another transaction holds the location's lock, so both requests are provably
mid-flight (claimed their Idempotency-Keys, then waiting) when the process dies. The client retries each with
the same key, as the README tells it to: `409 idempotency.in_progress` with Retry-After while the dead
process's claim is fresh (cafepos.idempotency.TAKEOVER_AFTER, 60 s), then the operation runs exactly once.
"""

import threading
import time

import psycopg
import pytest

from cafepos.tests.waiting import wait_until

from .conftest import call, login, new_key, order_body

pytestmark = pytest.mark.chaos

RETRY_FOR = 150.0  # seconds: the 60 s takeover window plus a slow machine's margin


@pytest.fixture
def web(cluster):
    server = cluster.server("gunicorn")
    server.start()
    yield server
    server.stop()


def retry_until_done(base: str, method: str, path: str, **request):
    """What a well-behaved client does: same key, wait Retry-After on `in_progress`, try again."""
    deadline = time.monotonic() + RETRY_FOR
    while True:
        answer = call(base, method, path, **request)
        in_progress = answer.status == 409 and answer.body["error"]["code"] == "idempotency.in_progress"
        if not in_progress or time.monotonic() > deadline:
            return answer
        time.sleep(int(answer.headers.get("Retry-After", "1")))


def lock_waits(cluster) -> int:
    return cluster.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'cafepos' AND wait_event_type = 'Lock'")[
        0
    ][0]


def test_requests_killed_mid_transaction_then_retried_with_their_keys_happen_exactly_once(cluster, web):
    # Given an unpaid order, and the location locked by another transaction so the next writes wait inside theirs
    token = login(web.url)
    body = order_body(cluster)
    unpaid = call(web.url, "POST", "/api/v1/orders/", token=token, body=body, key=new_key()).body
    orders_before = cluster.sql("SELECT count(*) FROM orders_order")[0][0]
    create_key, pay_key = new_key(), new_key()
    payment = {"tender": "CARD", "amount": unpaid["balance_due"]}
    dropped = []

    def send(path, request_body, key):
        try:
            call(web.url, "POST", path, token=token, body=request_body, key=key)
        except OSError as error:  # the connection dies with the server
            dropped.append(error)

    with psycopg.connect(cluster.postgres.url) as blocker:
        blocker.execute(
            "SELECT 1 FROM cafepos_locationsequence WHERE location_id = %s FOR UPDATE", [unpaid["location_id"]]
        )
        threads = [
            threading.Thread(target=send, args=("/api/v1/orders/", body, create_key)),
            threading.Thread(target=send, args=(f"/api/v1/orders/{unpaid['id']}/payments/", payment, pay_key)),
        ]
        for thread in threads:
            thread.start()
        wait_until(lambda: lock_waits(cluster) >= 2, timeout=30, message="both requests waiting on the lock")

        # When the server dies with SIGKILL while both wait, and comes back
        web.kill()
        blocker.rollback()
    for thread in threads:
        thread.join(30)
    assert len(dropped) == 2, "both clients saw their request dropped"
    web.start()

    # Then each retry with its key happens exactly once, and a second retry replays the same answer
    created = retry_until_done(web.url, "POST", "/api/v1/orders/", token=token, body=body, key=create_key)
    paid = retry_until_done(
        web.url, "POST", f"/api/v1/orders/{unpaid['id']}/payments/", token=token, body=payment, key=pay_key
    )
    assert created.status == 201, created
    assert paid.status == 201, paid
    assert cluster.sql("SELECT count(*) FROM orders_order")[0][0] == orders_before + 1
    assert cluster.sql("SELECT count(*) FROM orders_payment WHERE order_id = %s", [unpaid["id"]])[0][0] == 1
    again = call(web.url, "POST", "/api/v1/orders/", token=token, body=body, key=create_key)
    assert (again.status, again.body["id"], again.headers.get("Idempotent-Replayed")) == (
        201,
        created.body["id"],
        "true",
    )
    # and no order was left half-written by the killed transaction
    assert cluster.sql(
        "SELECT count(*) FROM orders_order o"
        " WHERE NOT EXISTS (SELECT 1 FROM orders_orderline l WHERE l.order_id = o.id)"
    ) == [(0,)]
