from django.urls import path

from cafepos.api import converters  # noqa: F401 (registers <id:...>)

from . import views

urlpatterns = [
    path("menu/", views.MenuView.as_view(), name="api-menu"),
    path("menu/items/<id:item_id>/", views.MenuItemView.as_view(), name="api-menu-item"),
    path("menu/items/<id:item_id>/sold-out/", views.MenuItemSoldOutView.as_view(), name="api-menu-item-sold-out"),
    path(
        "menu/items/<id:item_id>/back-in-stock/",
        views.MenuItemBackInStockView.as_view(),
        name="api-menu-item-back-in-stock",
    ),
]
