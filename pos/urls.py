from django.urls import path

from . import views

app_name = "pos"
urlpatterns = [
    path("", views.register, name="register"),
    path("orders/", views.orders, name="orders"),
    path("orders/search/", views.order_search, name="order-search"),
    path("orders/<int:order_id>/", views.orders, name="order"),
    path("orders/<int:order_id>/payments/", views.order_payments, name="order-payments"),
    path("orders/<int:order_id>/receipt/", views.receipt, name="receipt"),
    path("orders/<int:order_id>/split/", views.split, name="split"),
    path("floor/", views.floor, name="floor"),
    path("shift/", views.shift, name="shift"),
    path("status/", views.status, name="status"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
]
