"""What the API reads of DRF's `Request` beyond its public attributes, in one place.

Throttling counts a request while DRF authenticates it, and keeps what it learnt on the Django request so that the
middleware and views of the same request see it. That relies on two details of DRF 3.x, pinned by
`cafepos/tests/test_drf_request.py`: `Request._request` is the wrapped `HttpRequest` (private), and the view is in
`request.parser_context` before authentication runs (`APIView.initialize_request` puts it there).
"""

from django.http import HttpRequest


def django_request(request) -> HttpRequest:
    """The Django request under a DRF one (or the request itself when it is already Django's)."""
    return getattr(request, "_request", request)


def request_view(request):
    """The view handling a DRF request, known from the moment DRF authenticates it (None outside DRF)."""
    return (getattr(request, "parser_context", None) or {}).get("view")
