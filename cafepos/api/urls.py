"""Everything under /api/v1/: each app's v1 routes and the OpenAPI schema and docs (served without a CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from cafepos.security_headers import redoc_policy

urlpatterns = [
    path("", include("accounts.api.v1.urls")),
    path("", include("menu.api.v1.urls")),
    path("", include("orders.api.v1.urls")),
    path("", include("reports.api.v1.urls")),
    path("", include("delivery.api.v1.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "redoc/",
        redoc_policy(SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")),
        name="api-redoc",
    ),
]
