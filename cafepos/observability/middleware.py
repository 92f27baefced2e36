"""Request id, access log line and latency metric for every request; probes that skip host checks."""

import logging
import time

from django.urls import resolve

from . import context, metrics

logger = logging.getLogger("cafepos.access")

INTERNAL_PATHS = ("/health", "/ready", "/metrics")


class RequestObservabilityMiddleware:
    """First in MIDDLEWARE: binds the request id (from `X-Request-ID` or new) for every log line of the
    request, returns it in the response, logs one access line and observes the route's latency."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = context.accept_request_id(request.headers.get(context.REQUEST_ID_HEADER))
        token = context.bind(request_id=request.request_id, request=request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            route = route_of(request)
            metrics.request_observed(method=request.method, route=route, status=response.status_code, seconds=elapsed)
            response[context.REQUEST_ID_HEADER] = request.request_id
            logger.log(
                logging.DEBUG if request.path_info in INTERNAL_PATHS else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            return response
        finally:
            context.reset(token)


def route_of(request) -> str:
    """The URL pattern that served the request (`api/v1/orders/<int:pk>/`), never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return "/" + (match.route or match.view_name or "")


class InternalEndpointsMiddleware:
    """/health, /ready and /metrics answer before host validation and the HTTPS redirect: orchestrators
    and Prometheus address a pod by its IP over plain HTTP. Their views check nothing about the host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in INTERNAL_PATHS:
            return self.get_response(request)
        request.resolver_match = match = resolve(request.path_info)
        return match.func(request, *match.args, **match.kwargs)
