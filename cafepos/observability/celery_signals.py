"""Celery tasks carry the request id of the code that queued them, and count their outcomes.

Connected from `CafePOSConfig.ready()`, so both the web process (publishing) and the worker see them.
The worker has no HTTP server: with WORKER_METRICS_PORT set it serves its metrics on that port.
"""

from celery.signals import before_task_publish, task_postrun, task_prerun, worker_ready
from django.conf import settings

from . import context, metrics

REQUEST_ID_TASK_HEADER = "request_id"
_tokens = {}


@before_task_publish.connect
def _stamp_request_id(headers=None, **kwargs):
    request_id = context.current_request_id()
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_TASK_HEADER, request_id)


@task_prerun.connect
def _bind_request_id(task_id=None, task=None, **kwargs):
    """The publisher's request id; a task nobody's request queued (beat) logs under its own task id."""
    request_id = getattr(task.request, REQUEST_ID_TASK_HEADER, None) or context.current_request_id() or task_id
    _tokens[task_id] = context.bind(request_id=request_id, task=task.name, task_id=task_id)


@task_postrun.connect
def _record_outcome(task_id=None, task=None, state=None, **kwargs):
    metrics.celery_task_finished(task=task.name, state=state or "UNKNOWN")
    token = _tokens.pop(task_id, None)
    if token is not None:
        context.reset(token)


@worker_ready.connect
def _serve_metrics(**kwargs):
    if settings.WORKER_METRICS_PORT:
        metrics.serve(port=settings.WORKER_METRICS_PORT, multiproc_dir=settings.PROMETHEUS_MULTIPROC_DIR)
