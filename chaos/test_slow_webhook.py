"""One organization's webhook endpoint answers after 30 s (the POST times out after 10 s) with 20 deliveries
pending; another organization's delivery still arrives within 5 s.

The webhook worker runs as deployed: its own queue, 4 processes, at most WEBHOOK_ENDPOINT_MAX_IN_FLIGHT (2) POSTs
per endpoint; the slow endpoint's other deliveries are postponed (not attempted, not dropped). The receivers
are real HTTP servers on loopback, which this test allows through WEBHOOK_ALLOWED_NETWORKS. Measured here:
passes in ~24 s; with CHAOS_WEBHOOK_MAX_IN_FLIGHT=100 (no per-endpoint cap) the other delivery takes ~9 s.
"""

import os

import pytest

from cafepos.tests.celery_worker import CeleryWorker
from cafepos.tests.waiting import wait_until
from delivery.tests.receiver import Receiver

from .services import manage

pytestmark = pytest.mark.chaos

SLOW_DELIVERIES = 20
ARRIVES_WITHIN = 5.0  # seconds

SETUP = """
import json, time
from accounts.models import Location, Organization
from delivery.models import WebhookDelivery, WebhookEndpoint
from delivery.tasks import webhook_deliver


def deliver(endpoint, count, tag):
    for n in range(count):
        row = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=f"evt_{{tag}}_{{n}}", event_type="order.created",
            location_id=endpoint.location_id, body=json.dumps({{"id": f"evt_{{tag}}_{{n}}"}}),
        )
        webhook_deliver.delay(row.pk)


slow = WebhookEndpoint.objects.create(location_id={location_id}, url="{slow_url}")
other = Location.objects.create(organization=Organization.objects.create(name="Other cafe"), name="Other cafe")
fast = WebhookEndpoint.objects.create(location=other, url="{fast_url}")
deliver(slow, {count}, "slow")
time.sleep(2)  # the slow endpoint's POSTs are in flight, its other deliveries queued
deliver(fast, 1, "fast")
print(time.time())
"""


@pytest.fixture
def webhook_worker(cluster):
    env = {
        **cluster.env,
        "WEBHOOK_ALLOWED_NETWORKS": "loopback",
        "WEBHOOK_TIMEOUT": "10",
        "DATABASE_POOL_MAX": "0",
        "WEBHOOK_ENDPOINT_MAX_IN_FLIGHT": os.environ.get("CHAOS_WEBHOOK_MAX_IN_FLIGHT", "2"),
    }
    worker = CeleryWorker(env, cluster.work, queues=("webhooks",), concurrency=4)
    worker.start()
    yield worker
    worker.stop()


def test_a_slow_tenants_webhook_does_not_delay_another_organizations_delivery(cluster, webhook_worker):
    with Receiver(delay=30) as slow, Receiver() as fast:
        code = SETUP.format(
            location_id=cluster.location_id, slow_url=slow.url, fast_url=fast.url, count=SLOW_DELIVERIES
        )
        enqueued_at = float(manage(cluster.env, "shell", "-c", code).strip().splitlines()[-1])
        wait_until(lambda: fast.requests, timeout=30, message="the other organization's delivery")
        took = fast.requests[0]["at"] - enqueued_at
        posted_to_slow = [request["at"] for request in slow.requests if request["at"] <= fast.requests[0]["at"]]
        statuses = dict(cluster.sql("SELECT status, count(*) FROM realtime_webhookdelivery GROUP BY status"))

    assert took < ARRIVES_WITHIN, f"the other organization's delivery took {took:.1f} s"
    assert len(posted_to_slow) <= 2  # the slow endpoint held at most its in-flight cap of workers
    assert statuses.get("FAILED", 0) == 0 and statuses["PENDING"] == SLOW_DELIVERIES  # postponed, never dropped
