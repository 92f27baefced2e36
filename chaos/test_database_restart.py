"""PostgreSQL crashes and comes back: requests meanwhile get 503 in the API's error shape, the same server
process serves again once the database answers, and no order is left half-written.

The web tier runs as in deploy/docker-compose.yml (gunicorn, one persistent connection per worker with health
checks: DATABASE_POOL_MAX=0).
"""

import threading
import time

import pytest

from cafepos.tests.waiting import wait_until

from .conftest import call, login, new_key, order_body

pytestmark = pytest.mark.chaos

RECOVERY_WITHIN = 20.0  # seconds after PostgreSQL accepts connections again


@pytest.fixture
def web(cluster):
    server = cluster.server("gunicorn", DATABASE_POOL_MAX="0")
    server.start()
    yield server
    server.stop()


def test_a_database_outage_answers_503_and_the_server_recovers_without_a_restart(cluster, web):
    token = login(web.url)
    body = order_body(cluster)
    orders_before = cluster.sql("SELECT count(*) FROM orders_order")[0][0]
    accepted, refused, other = [], [], []
    stop = threading.Event()

    def traffic():
        """A terminal sending orders every 50 ms, each once (its own key), noting every answer."""
        while not stop.is_set():
            started = time.monotonic()
            try:
                answer = call(web.url, "POST", "/api/v1/orders/", token=token, body=body, key=new_key(), timeout=20)
            except OSError as error:
                other.append(repr(error))
                continue
            elapsed = time.monotonic() - started
            if answer.status == 201:
                accepted.append(answer.body["id"])
            elif answer.status == 503:
                refused.append((answer.body, answer.headers.get("Retry-After"), elapsed))
            else:
                other.append((answer.status, answer.body))
            time.sleep(0.05)

    thread = threading.Thread(target=traffic)
    thread.start()
    try:
        wait_until(lambda: len(accepted) >= 5, timeout=30, message="orders before the outage")
        # When PostgreSQL goes down as in a crash, stays down a few seconds, and comes back
        cluster.postgres.stop("immediate")
        wait_until(lambda: len(refused) >= 3, timeout=30, message="requests during the outage")
        cluster.postgres.start()
        back = len(accepted)
        # Then the same server process accepts orders again
        wait_until(lambda: len(accepted) >= back + 5, timeout=RECOVERY_WITHIN, message="orders after the outage")
    finally:
        stop.set()
        thread.join(30)

    assert not other, other[:3]
    for error_body, retry_after, elapsed in refused:
        assert error_body["error"]["code"] == "service.unavailable"
        assert set(error_body["error"]) == {"code", "message", "fields"}
        assert retry_after == "5"
        assert elapsed < 5, "refused at once, not after a timeout"
    assert web.process.poll() is None and web.starts == 1
    # and every accepted order exists (plus at most the one whose commit the crash cut from its answer), each whole
    stored = {row[0] for row in cluster.sql("SELECT id FROM orders_order WHERE id = ANY(%s)", [accepted])}
    assert stored == set(accepted)
    created = cluster.sql("SELECT count(*) FROM orders_order")[0][0] - orders_before
    assert len(accepted) <= created <= len(accepted) + 1
    assert cluster.sql(
        "SELECT count(*) FROM orders_order o"
        " WHERE NOT EXISTS (SELECT 1 FROM orders_orderline l WHERE l.order_id = o.id)"
        " OR NOT EXISTS (SELECT 1 FROM cafepos_event e WHERE e.type = 'order.created'"
        " AND (e.data -> 'order' ->> 'id')::bigint = o.id)"
    ) == [(0,)]
