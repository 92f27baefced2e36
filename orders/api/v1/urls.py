from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("orders", views.OrderViewSet, basename="api-orders")
router.register("shifts", views.ShiftViewSet, basename="api-shifts")

urlpatterns = [
    path("tickets/", views.TicketListView.as_view(), name="api-tickets"),
    path("tables/", views.TableListView.as_view(), name="api-tables"),
    *router.urls,
]
