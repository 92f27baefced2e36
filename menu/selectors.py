"""Reads of the menu: the full menu of a location, built with four queries and cached per location.

Cache layout (explicit keys, no scans; `cafepos.versioned_cache`): `menu:<location id>:version` holds a random
token, replaced after every committed change (`menu_cache_invalidate`); `menu:<location id>:tree` holds the
built menu (every language's names in its `translations`) with the token it was built under, and
`menu:<location id>:body:<language>` the API's JSON body of it in one language (`menu_localized`) the same
way. A reader takes the token and an entry in one round trip and serves the entry only if the tokens match, so
an entry built from data read before a change commits is never served after it. (The entries' names changed
with their stored shape, so processes of the release before, during a rolling deploy, never read them.)
"""

import json

from django.conf import settings
from django.db.models import Prefetch

from accounts.models import Location
from cafepos.money import to_minor_units
from cafepos.versioned_cache import version_bump, versioned

from .models import Category, MenuItem, Modifier, ModifierGroup
from .translations import translated_value


def _keys(location_id: int, language: str = "") -> tuple[str, str, str]:
    version, tree, body = f"menu:{location_id}:version", f"menu:{location_id}:tree", f"menu:{location_id}:body"
    return version, tree, f"{body}:{_language(language)}"


def _language(language: str | None) -> str:
    """One of settings.LANGUAGES (what a cache key may name), else the default."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def menu_json_cache_keys(location_id: int, language: str) -> list[str]:
    """The cache keys `menu_json_for_location` reads, for a caller that fetches them ahead (`prefetched`)."""
    version_key, _, json_key = _keys(location_id, language)
    return [version_key, json_key]


def menu_cache_invalidate(location_id: int) -> None:
    """Make the location's cached menu stale (`menu.signals` does for every change, at once and after commit)."""
    version_bump(_keys(location_id)[0], what=f"menu of location {location_id}")


def menu_for_location(location: Location) -> dict:
    """The location's menu from the cache, or from the database while Redis is unreachable (logged once a minute).

    Shape: {location_id, currency, categories: [{id, name, sort_order, translations, items: [{id, name,
    description, price, tax_rate (string, percent), sku, image (URL or null), station, sort_order, is_sold_out,
    translations, modifier_groups: [{id, name, min_selections, max_selections, is_required, translations,
    modifiers: [{id, name, price_delta, is_sold_out, translations}]}]}]}]}: money in minor units of `currency`,
    sold-out flags kept, names as stored (`menu_localized` adds one language's). Inactive categories and items
    are left out.
    """
    return _cached(location, entry=1, build=menu_build)


def menu_json_for_location(location: Location, *, language: str, prefetched: dict | None = None) -> bytes:
    """`menu_localized` in `language` as the API's JSON body, cached as bytes so a read neither unpickles nor
    renders it.

    `prefetched`: cache entries already fetched in this request; with both `menu_json_cache_keys` in it, the read
    makes no round trip of its own.
    """
    language = _language(language)
    return _cached(
        location,
        entry=2,
        language=language,
        build=lambda location: _json(menu_localized(menu_for_location(location), language)),
        prefetched=prefetched,
    )


def menu_localized(menu: dict, language: str) -> dict:
    """A copy of a built menu where every category, item, modifier group and modifier also has its
    `display_name` (and an item its `display_description`) in `language`, falling back to the stored one."""

    def localized(node: dict, **children) -> dict:
        translations = node["translations"]
        shown = {"display_name": translated_value(translations, "name", language) or node["name"]}
        if "description" in node:
            shown["display_description"] = (
                translated_value(translations, "description", language) or node["description"]
            )
        return {**node, **shown, **children}

    return {
        **menu,
        "categories": [
            localized(
                category,
                items=[
                    localized(
                        item,
                        modifier_groups=[
                            localized(group, modifiers=[localized(modifier) for modifier in group["modifiers"]])
                            for group in item["modifier_groups"]
                        ],
                    )
                    for item in category["items"]
                ],
            )
            for category in menu["categories"]
        ],
    }


def _json(menu: dict) -> bytes:
    """The bytes DRF's JSONRenderer writes with the API's settings: compact, UTF-8 (not \\u-escaped)."""
    return json.dumps(menu, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _cached(location: Location, *, entry: int, build, language: str = "", prefetched: dict | None = None):
    """`build(location)` from the cache entry `_keys(...)[entry]`, valid while the location's version is unchanged."""
    keys = _keys(location.id, language)
    return versioned(keys[0], keys[entry], lambda: build(location), what="menu", prefetched=prefetched)


def menu_build(location: Location) -> dict:
    """The menu read from the database (no cache): four queries whatever its size."""
    groups = ModifierGroup.objects.order_by("sort_order", "name").prefetch_related(
        Prefetch("modifiers", queryset=Modifier.objects.order_by("sort_order", "name"))
    )
    items = (
        MenuItem.objects.filter(is_active=True)
        .order_by("sort_order", "name")
        .prefetch_related(Prefetch("modifier_groups", queryset=groups))
    )
    categories = (
        Category.objects.filter(location=location, is_active=True)
        .order_by("sort_order", "name")
        .prefetch_related(Prefetch("items", queryset=items))
    )
    currency = location.currency
    return {
        "location_id": location.id,
        "currency": currency,
        "categories": [
            {
                "id": category.id,
                "name": category.name,
                "sort_order": category.sort_order,
                "translations": category.translations,
                "items": [_item(item, currency) for item in category.items.all()],
            }
            for category in categories
        ],
    }


def _item(item: MenuItem, currency: str) -> dict:
    return {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "price": to_minor_units(item.price, currency),
        "tax_rate": str(item.tax_rate),
        "sku": item.sku,
        "image": item.image.url if item.image else None,
        "station": item.station,
        "sort_order": item.sort_order,
        "is_sold_out": item.is_sold_out,
        "translations": item.translations,
        "modifier_groups": [
            {
                "id": group.id,
                "name": group.name,
                "min_selections": group.min_selections,
                "max_selections": group.max_selections,
                "is_required": group.is_required,
                "translations": group.translations,
                "modifiers": [
                    {
                        "id": modifier.id,
                        "name": modifier.name,
                        "price_delta": to_minor_units(modifier.price_delta, currency),
                        "is_sold_out": modifier.is_sold_out,
                        "translations": modifier.translations,
                    }
                    for modifier in group.modifiers.all()
                ],
            }
            for group in item.modifier_groups.all()
        ],
    }
