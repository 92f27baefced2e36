"""Streamed responses under ASGI: files (WhiteNoise's static files, FileResponse downloads) stream synchronously,
and Django's ASGI handler warns on every one ("StreamingHttpResponse must consume synchronous iterators") as it
drains them on the event loop. Under ASGI they are handed over as an asynchronous iterator whose reads run in a
worker thread; under WSGI (gunicorn) nothing changes."""

from collections.abc import AsyncIterator, Iterable

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest

_END = object()


async def _read_in_thread(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    iterator = iter(chunks)
    read = sync_to_async(next, thread_sensitive=False)
    while (chunk := await read(iterator, _END)) is not _END:
        yield chunk


class AsyncStreamingMiddleware:
    """Outermost, so it sees WhiteNoise's answers too: a synchronous stream becomes an asynchronous one under ASGI."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(request, ASGIRequest) and response.streaming and not response.is_async:
            response.streaming_content = _read_in_thread(response.streaming_content)
        return response
