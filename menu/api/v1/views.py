"""The menu of a location: read from the cache, and 86 / un-86 items."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.access import Allow
from accounts.roles import ANY_ROLE, MANAGERS
from cafepos.api.drf_request import django_request
from menu.models import MenuItem
from menu.selectors import menu_for_location, menu_json_cache_keys, menu_json_for_location, menu_localized
from menu.services import menu_item_back_in_stock, menu_item_mark_sold_out

from . import serializers

READ = Allow(ANY_ROLE, scope="menu:read")
STOCK = Allow(MANAGERS, scope="menu:write")


def _menu_item(location, item_id: int) -> dict:
    """One item as the menu shows it (from the cached menu) in the request's language, with its category; 404 if
    the menu lacks it."""
    for category in menu_localized(menu_for_location(location), translation.get_language())["categories"]:
        for item in category["items"]:
            if item["id"] == item_id:
                return {**item, "category_id": category["id"]}
    return get_object_or_404(MenuItem.objects.none())


# The location of each caller's last menu read in this process: where their next read most likely is.
_last_read_location: dict[str, int] = {}


class MenuView(APIView):
    """The location's active menu with sold-out flags; prices in minor units. Names as stored, and in the language
    of `Accept-Language` as `display_name` / `display_description`; every language's in `translations`."""

    access = {"get": READ}

    def prefetch_cache_keys(self, request, ident: str) -> list[str]:
        """The cached menu of the caller's last location, fetched in authentication's Redis round trip."""
        location_id = _last_read_location.get(ident)
        return menu_json_cache_keys(location_id, translation.get_language()) if location_id else []

    @extend_schema(operation_id="menu", responses=serializers.MenuSerializer)
    def get(self, request):
        _last_read_location[request.auth.principal_key] = request.location.pk
        prefetched = getattr(django_request(request), "cache_prefetched", None)
        # The cached body is what JSONRenderer writes for `menu_for_location`, rendered once per menu version.
        body = menu_json_for_location(request.location, language=translation.get_language(), prefetched=prefetched)
        return HttpResponse(body, content_type="application/json")


class MenuItemView(APIView):
    """One active item of the menu."""

    access = {"get": READ}

    @extend_schema(operation_id="menu_item", responses=serializers.MenuItemDetailSerializer)
    def get(self, request, item_id: int):
        return Response(_menu_item(request.location, item_id))


class MenuItemStockView(APIView):
    """Mark an item sold out (86) or back in stock; the change reaches every terminal at once."""

    access = {"post": STOCK}
    service = None

    def post(self, request, item_id: int):
        item = get_object_or_404(MenuItem, location=request.location, pk=item_id, is_active=True)
        self.service(item=item, by=request.user if request.user.is_authenticated else None)
        return Response(_menu_item(request.location, item_id))


class MenuItemSoldOutView(MenuItemStockView):
    service = staticmethod(menu_item_mark_sold_out)

    @extend_schema(operation_id="menu_item_sold_out", request=None, responses=serializers.MenuItemDetailSerializer)
    def post(self, request, item_id: int):
        return super().post(request, item_id)


class MenuItemBackInStockView(MenuItemStockView):
    service = staticmethod(menu_item_back_in_stock)

    @extend_schema(operation_id="menu_item_back_in_stock", request=None, responses=serializers.MenuItemDetailSerializer)
    def post(self, request, item_id: int):
        return super().post(request, item_id)
