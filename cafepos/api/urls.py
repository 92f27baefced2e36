"""Everything under /api/v1/: each app's v1 routes and the OpenAPI schema and docs."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api.v1.urls")),
]
