"""gunicorn for the WSGI tier (HTTP API, pages, admin, /metrics):

    gunicorn -c deploy/gunicorn.conf.py cafepos.wsgi

Sync workers, measured fastest here for CafePOS's short ORM-bound views (bench/, docs in README "Deploying").
Run it with DATABASE_POOL_MAX=0 so each worker keeps one persistent connection (CONN_MAX_AGE) instead of a
pool. On SIGTERM a worker stops accepting, /ready turns 503, in-flight requests get `graceful_timeout`.
"""

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, wherever gunicorn starts

from gunicorn import glogging  # noqa: E402

from cafepos.observability import metrics, shutdown  # noqa: E402
from cafepos.observability.logs import default_format, logging_config  # noqa: E402

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 25
keepalive = 5
# Recycle workers now and then. A restarting worker serves nothing for a second while Django starts, so the
# jitter is half the limit: with 2000 and 200, both workers restarted within the same second every ~2000
# requests each and every request waited for them (bench/RESULTS.md, "What the profile changed").
max_requests = 50000
max_requests_jitter = 25000
accesslog = None  # cafepos.access logs each request with its request id, route and user


class Logger(glogging.Logger):
    """gunicorn's logger without its access lines, which `logging_config` drops anyway: gunicorn still built each
    one's fields (1 % of a worker's samples during order creates) before its logger threw the line away."""

    def access(self, resp, req, environ, request_time):
        pass


logger_class = Logger
control_socket_disable = True  # no management socket in $HOME (read-only in the image)
logconfig_dict = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    fmt=os.environ.get("LOG_FORMAT") or default_format(os.environ.get("APP_ENV", "development")),
)


def on_starting(server):
    metrics.multiproc_dir_reset()


def post_worker_init(worker):
    shutdown.on_sigterm()
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn sets it: a SIGTERM does not break a request's I/O


def worker_int(worker):
    shutdown.begin()


def child_exit(server, worker):
    metrics.process_exited(worker.pid)
