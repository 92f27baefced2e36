"""URL wiring: the one place that includes every app's routes."""

from django.contrib import admin
from django.urls import include, path

from cafepos import views

urlpatterns = [
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
    path("admin/", admin.site.urls),
    path("terminal/", include("accounts.urls")),
    path("pos/", include("orders.urls")),
    path("kitchen/", include("realtime.urls")),
]
