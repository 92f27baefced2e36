"""URL wiring: the one place that includes every app's routes."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import language_views, start_views
from cafepos import views
from cafepos.api import errors as api_errors
from cafepos.observability import views as observability_views

urlpatterns = [
    path("api/v1/", include("cafepos.api.urls")),  # first: the busiest routes resolve fastest
    path("", start_views.start, name="start"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
    path("metrics", observability_views.metrics, name="metrics"),
    # The webhook and email pages moved with their models from realtime to delivery: old addresses still lead there.
    re_path(
        r"^admin/realtime/(?P<page>(webhookendpoint|webhookdelivery|webhookattempt|emaildelivery)/.*)$",
        RedirectView.as_view(url="/admin/delivery/%(page)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("backoffice/reports/", include("reports.urls")),
    path(
        "backoffice/language/", admin.site.admin_view(language_views.back_office_language), name="backoffice-language"
    ),
    path("terminal/", include("accounts.urls")),
    path("pos/", include("pos.urls")),
    path("kitchen/", include("realtime.urls")),
    re_path(r"^api/", api_errors.unknown_endpoint),  # unknown API paths: the API's 404 shape, never a redirect
]

# Django's own error pages answer in the API's error shape under /api/.
handler400 = api_errors.bad_request
handler403 = api_errors.permission_denied
handler404 = api_errors.not_found
handler500 = api_errors.server_error
