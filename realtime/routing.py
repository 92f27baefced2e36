"""WebSocket routes, mounted by `cafepos.asgi` behind the origin check and the session middleware."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/v1/kitchen/", consumers.KitchenConsumer.as_asgi()),
    path("ws/v1/orders/", consumers.OrdersConsumer.as_asgi()),
]
