"""Liveness and readiness probes for load balancers and orchestrators, and the favicon browsers ask for."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from cafepos.observability import shutdown


def health(request):
    """The process answers; checks no dependency."""
    return JsonResponse({"status": "ok"})


def ready(request):
    """The database (and Redis, when configured) answer; 503 naming what failed otherwise, or while stopping."""
    if shutdown.in_progress():
        response = JsonResponse({"status": "shutting_down"}, status=503)
        response._has_been_logged = True  # expected on every rollout: keep it out of django.request's errors
        return response
    failed = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver or pool error means not ready
        failed["database"] = error.__class__.__name__
    if settings.REDIS_URL:
        try:
            from django_redis import get_redis_connection

            get_redis_connection("default").ping()
        except Exception as error:
            failed["redis"] = error.__class__.__name__
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ready"})


def favicon(request):
    """`/favicon.ico`, which browsers fetch for pages without an icon link (JSON, a receipt): the static one."""
    response = redirect(static("cafepos/favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
