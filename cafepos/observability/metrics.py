"""Every Prometheus metric CafePOS exports, and the small functions the apps call to record them.

Several worker processes (gunicorn workers, uvicorn, Celery prefork children) each count on their own.
With `PROMETHEUS_MULTIPROC_DIR` set (before this module is imported) the client writes the values to
files in that directory and `/metrics` adds them up, so one scrape sees the whole server. The directory
must be empty when the server starts (gunicorn's `on_starting` hook clears it).
"""

import os
from decimal import Decimal
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # A tmpfs or emptyDir mounted on /tmp hides the directory the image made: every process makes sure.
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

REQUEST_DURATION = Histogram(
    "cafepos_http_request_duration_seconds",
    "HTTP request latency by route pattern (not raw path), method and status; _count is the request count.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ORDERS = Counter("cafepos_orders", "Orders placed, by location and order type.", ["location", "type"])
ORDER_VALUE = Histogram(
    "cafepos_order_value",
    "Order totals in the location's currency units.",
    ["location"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
PAYMENTS = Counter("cafepos_payments", "Payments by location, method and outcome.", ["location", "method", "outcome"])
WEBSOCKET_CONNECTIONS = Gauge(
    "cafepos_websocket_connections",
    "Open WebSocket connections by consumer.",
    ["consumer"],
    multiprocess_mode="livesum",
)
EVENTS_PUBLISHED = Counter("cafepos_events_published", "Domain events published, by event type.", ["event"])
WEBHOOK_DELIVERIES = Counter("cafepos_webhook_deliveries", "Webhook delivery attempts by outcome.", ["outcome"])
CELERY_TASKS = Counter("cafepos_celery_tasks", "Celery tasks finished, by task name and state.", ["task", "state"])


def request_observed(*, method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "other"
    REQUEST_DURATION.labels(method=method, route=route, status=str(status)).observe(seconds)


def order_placed(*, location_id: int, order_type: str, total: Decimal) -> None:
    """Call once per order when it is placed (after commit)."""
    ORDERS.labels(location=str(location_id), type=order_type).inc()
    ORDER_VALUE.labels(location=str(location_id)).observe(float(total))  # a metric sample, not money arithmetic


def payment_recorded(*, location_id: int, method: str, outcome: str) -> None:
    """`outcome`: e.g. "captured", "refunded", "declined"."""
    PAYMENTS.labels(location=str(location_id), method=method, outcome=outcome).inc()


def websocket_connected(*, consumer: str) -> None:
    WEBSOCKET_CONNECTIONS.labels(consumer=consumer).inc()


def websocket_disconnected(*, consumer: str) -> None:
    WEBSOCKET_CONNECTIONS.labels(consumer=consumer).dec()


def event_published(*, event_type: str) -> None:
    EVENTS_PUBLISHED.labels(event=event_type).inc()


def webhook_delivered(*, succeeded: bool) -> None:
    WEBHOOK_DELIVERIES.labels(outcome="success" if succeeded else "failure").inc()


def celery_task_finished(*, task: str, state: str) -> None:
    CELERY_TASKS.labels(task=task, state=state).inc()


def registry(*, multiproc_dir: str = "") -> CollectorRegistry:
    """This process's metrics, or every process's files in `multiproc_dir` added up."""
    if not multiproc_dir:
        return REGISTRY
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, path=multiproc_dir)
    return collected


def exposition(*, multiproc_dir: str = "") -> tuple[bytes, str]:
    """The body and content type a scrape returns."""
    return generate_latest(registry(multiproc_dir=multiproc_dir)), CONTENT_TYPE_LATEST


def serve(*, port: int, multiproc_dir: str = "") -> None:
    """A plain metrics endpoint on `port` for processes without HTTP (the Celery worker); cluster-internal."""
    start_http_server(port, registry=registry(multiproc_dir=multiproc_dir))


def process_exited(pid: int) -> None:
    """A worker process ended: drop its live gauges (open WebSockets) from the shared directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(pid)


def multiproc_dir_reset() -> None:
    """Drop the metric files of a previous run before a server starts, so its counts do not linger."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink(missing_ok=True)
