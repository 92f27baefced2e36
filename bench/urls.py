"""The application's URLs plus the ceilings (bench only: see bench/settings.py)."""

from django.urls import path

from cafepos.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

from . import ceilings

urlpatterns = [
    path("bench/django-constant", ceilings.django_constant),
    path("bench/drf-constant", ceilings.DrfConstant.as_view()),
    *urlpatterns,
]
