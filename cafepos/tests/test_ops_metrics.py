"""Prometheus at /metrics: real requests move per-route counters, domain helpers move their metrics, the
endpoint is closed to the public, and several worker processes add up to one scrape."""

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from prometheus_client.parser import text_string_to_metric_families

from accounts.tests.factories import LocationFactory
from cafepos.observability import metrics
from orders.models import OrderType, Tender
from orders.services import payment_add
from orders.tests.factories import OrderFactory


def scrape(client, **headers) -> dict:
    """{(sample name, sorted labels): value} from GET /metrics."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return parse(response.content.decode())


def parse(text: str) -> dict:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests_counted(samples: dict, route: str, status: str, method: str = "GET") -> float:
    labels = tuple(sorted({"method": method, "route": route, "status": status}.items()))
    return samples.get(("cafepos_http_request_duration_seconds_count", labels), 0.0)


@pytest.mark.django_db
def test_requests_are_counted_per_route_pattern_and_status(client):
    before = scrape(client)

    client.get("/health")
    client.get("/health")
    client.get("/terminal/login/")
    client.get("/no-such-page/123/")
    client.get("/admin/accounts/user/12345/change/")

    after = scrape(client)
    assert requests_counted(after, "/health", "200") - requests_counted(before, "/health", "200") == 2
    assert requests_counted(after, "/terminal/login/", "302") - requests_counted(before, "/terminal/login/", "302") == 1
    assert requests_counted(after, "<unmatched>", "404") - requests_counted(before, "<unmatched>", "404") == 1
    # the pattern, not the raw path: one series however many users there are
    admin_route = "/admin/accounts/user/<path:object_id>/change/"
    assert requests_counted(after, admin_route, "302") - requests_counted(before, admin_route, "302") == 1
    assert not any("12345" in str(labels) for _, labels in after)


def test_domain_helpers_move_their_metrics(client):
    before = scrape(client)

    metrics.order_placed(location_id=41, order_type="takeaway", total=Decimal("12.50"))
    metrics.order_placed(location_id=41, order_type="takeaway", total=Decimal("7.25"))
    metrics.payment_recorded(location_id=41, method="card", outcome="captured")
    metrics.websocket_connected(consumer="kitchen")
    metrics.event_published(event_type="order.paid")
    metrics.webhook_delivered(succeeded=False)
    metrics.celery_task_finished(task="cafepos.tasks.relay_events", state="SUCCESS")

    after = scrape(client)

    def moved(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert moved("cafepos_orders_total", location="41", type="takeaway") == 2
    assert moved("cafepos_order_value_sum", location="41") == pytest.approx(19.75)
    assert moved("cafepos_order_value_count", location="41") == 2
    assert moved("cafepos_payments_total", location="41", method="card", outcome="captured") == 1
    assert moved("cafepos_websocket_connections", consumer="kitchen") == 1
    assert moved("cafepos_events_published_total", event="order.paid") == 1
    assert moved("cafepos_webhook_deliveries_total", outcome="failure") == 1
    assert moved("cafepos_celery_tasks_total", task="cafepos.tasks.relay_events", state="SUCCESS") == 1
    metrics.websocket_disconnected(consumer="kitchen")


def test_with_a_token_configured_only_that_bearer_token_may_scrape(client, settings):
    settings.METRICS_TOKEN = "prom-scrape-token"

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer prom-scrape-token").status_code == 200
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer prom-scrape-token", REMOTE_ADDR="8.8.8.8").status_code == 200
    )


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "status"),
    [
        ("127.0.0.1", "", 200),
        ("10.42.0.7", "", 200),  # a Prometheus pod
        ("192.168.1.20", "", 200),
        ("8.8.8.8", "", 403),
        ("127.0.0.1", "8.8.8.8", 403),  # a public client through our nginx
        ("127.0.0.1", "10.0.0.1, 8.8.8.8", 403),  # ...that tried to look internal
        ("127.0.0.1", "10.1.2.3", 200),
    ],
)
def test_without_a_token_only_internal_addresses_may_scrape(client, remote_addr, forwarded_for, status):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}

    assert client.get("/metrics", REMOTE_ADDR=remote_addr, **headers).status_code == status


def test_probes_and_metrics_answer_a_pod_ip_host_that_pages_refuse(client, settings):
    """Kubelet probes and Prometheus address the pod by IP, which is not in ALLOWED_HOSTS."""
    settings.ALLOWED_HOSTS = ["pos.example.com"]

    assert client.get("/health", HTTP_HOST="10.42.0.7:8000").status_code == 200
    assert client.get("/metrics", HTTP_HOST="10.42.0.7:8000").status_code == 200
    assert client.get("/terminal/login/", HTTP_HOST="10.42.0.7:8000").status_code == 400


def test_counts_from_several_worker_processes_add_up_in_one_scrape(tmp_path, monkeypatch):
    """Multiprocess mode: each process writes its own file, one scrape sums them (gunicorn workers). The
    directory does not exist yet, as when a tmpfs is mounted over the image's /tmp."""
    shared = tmp_path / "prometheus"
    record = (
        "from decimal import Decimal\n"
        "from cafepos.observability import metrics\n"
        "metrics.order_placed(location_id=3, order_type='dine_in', total=Decimal('4.50'))\n"
        "metrics.websocket_connected(consumer='pos')\n"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    for _ in range(3):
        subprocess.run([sys.executable, "-c", record], env=env, cwd=django_settings.BASE_DIR, check=True)  # noqa: S603

    body, _ = metrics.exposition(multiproc_dir=str(shared))
    samples = parse(body.decode())

    assert len(list(shared.iterdir())) >= 3  # one file per process and metric type
    assert samples[("cafepos_orders_total", (("location", "3"), ("type", "dine_in")))] == 3
    assert samples[("cafepos_order_value_sum", (("location", "3"),))] == pytest.approx(13.5)
    assert samples[("cafepos_websocket_connections", (("consumer", "pos"),))] == 3
    # when a server reaps a worker, its open-socket gauge goes away with it
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(shared))
    for path in shared.glob("gauge_livesum_*.db"):
        metrics.process_exited(int(path.stem.rsplit("_", 1)[-1]))
    body, _ = metrics.exposition(multiproc_dir=str(shared))
    assert parse(body.decode()).get(("cafepos_websocket_connections", (("consumer", "pos"),)), 0.0) == 0


@pytest.mark.django_db
def test_placing_and_paying_an_order_moves_the_business_metrics(client, django_capture_on_commit_callbacks):
    location = LocationFactory()  # a fresh location: its series start at zero

    with django_capture_on_commit_callbacks(execute=True):
        order = OrderFactory(location=location, type=OrderType.TAKEAWAY)
        payment_add(order=order, staff=order.staff, tender=Tender.CARD, amount=order.balance_due)

    samples = scrape(client)
    where = (("location", str(location.pk)),)
    assert samples[("cafepos_orders_total", (*where, ("type", "TAKEAWAY")))] == 1
    assert samples[("cafepos_order_value_count", where)] == 1
    assert samples[("cafepos_order_value_sum", where)] == pytest.approx(float(order.total))
    assert samples[("cafepos_payments_total", (*where, ("method", "CARD"), ("outcome", "captured")))] == 1


def test_a_server_start_drops_the_previous_runs_metric_files_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "counter_4242.db").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("not ours")

    metrics.multiproc_dir_reset()

    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]
