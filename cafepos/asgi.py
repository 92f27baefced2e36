"""ASGI entry point: HTTP and WebSockets (uvicorn). WebSocket routes are wired in by the realtime app."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings")

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from cafepos.observability.shutdown import lifespan  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi_app, "lifespan": lifespan})
