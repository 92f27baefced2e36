from django.urls import path

from . import views

urlpatterns = [
    path("orders/<int:pk>/receipt-email/", views.ReceiptEmailView.as_view(), name="api-orders-receipt-email"),
]
