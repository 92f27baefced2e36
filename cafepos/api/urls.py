"""Everything under /api/v1/: each app's v1 routes and the OpenAPI schema and docs."""

urlpatterns: list = []
