from django.urls import path

from . import language_views, views

app_name = "terminal"
urlpatterns = [
    path("pair/", views.pair, name="pair"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("unlock/", views.unlock, name="unlock"),
    path("language/", language_views.terminal_language, name="language"),
]
