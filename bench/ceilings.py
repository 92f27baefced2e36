"""Constant views: what a request costs through nginx, gunicorn and the middleware before any CafePOS code runs.

Both go through the full middleware stack of the real settings (request ids, access log, metrics, sessions,
CSRF), so the ratio of an endpoint to them is the share of the framework's ceiling that CafePOS keeps.
"""

from django.http import JsonResponse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

CONSTANT = {"status": "ok"}


def django_constant(request):
    return JsonResponse(CONSTANT)


class DrfConstant(APIView):
    """DRF's request, negotiation and renderer, without authentication, permissions or throttling."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request):
        return Response(CONSTANT)
