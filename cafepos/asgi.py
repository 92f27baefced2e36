"""ASGI entry point: HTTP and WebSockets (uvicorn).

WebSocket handshakes must carry an `Origin` in ALLOWED_ORIGINS (browsers always send one; API clients set it
themselves), then get the Django session (pages) before the realtime app's routes.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings")

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from cafepos.observability.shutdown import lifespan  # noqa: E402
from cafepos.outbox_sweeper import with_sweeper  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)), settings.ALLOWED_ORIGINS),
        "lifespan": with_sweeper(lifespan),
    }
)
