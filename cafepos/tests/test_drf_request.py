"""The details of DRF's Request that `cafepos/api/drf_request.py` reads: an upgrade that changes them fails here
instead of silently counting requests twice or losing the menu's prefetched cache keys."""

from django.http import HttpRequest
from rest_framework.authentication import BaseAuthentication
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from cafepos.api.drf_request import django_request, request_view


def test_while_drf_authenticates_the_view_and_the_django_request_are_known():
    seen = {}

    class Recording(BaseAuthentication):
        def authenticate(self, request):
            seen.update(view=request_view(request), wrapped=django_request(request))

    class View(APIView):
        authentication_classes = [Recording]
        permission_classes = []
        throttle_classes = []

        def get(self, request):
            seen["handled by"] = self
            return Response({})

    raw = APIRequestFactory().get("/pinned/")
    View.as_view()(raw)

    assert seen["view"] is seen["handled by"]
    assert seen["wrapped"] is raw
    assert isinstance(seen["wrapped"], HttpRequest)


def test_a_django_request_is_its_own_and_has_no_view():
    raw = APIRequestFactory().get("/pinned/")

    assert django_request(raw) is raw
    assert request_view(raw) is None
