from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.PasswordLoginView.as_view(), name="api-auth-token"),
    path("auth/pin/", views.PinLoginView.as_view(), name="api-auth-pin"),
    path("auth/token/refresh/", views.RefreshView.as_view(), name="api-auth-refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="api-auth-logout"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("locations/", views.LocationListView.as_view(), name="api-locations"),
]
