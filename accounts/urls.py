from django.urls import path

from . import views

app_name = "terminal"
urlpatterns = [
    path("pair/", views.pair, name="pair"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("unlock/", views.unlock, name="unlock"),
]
