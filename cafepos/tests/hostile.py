"""The hostile-input sweep's tables and plumbing (cafepos/tests/test_hostile_sweep.py runs it).

Routes are read from the URL resolver and realtime/routing.py, never listed by hand. The names a caller may send
(query parameters, form and body fields) are gathered from the code: every DRF serializer and Django form
field, every django-filter filter, and every name the views read from `GET`/`POST`/`query_params`/`data`.
"""

import contextlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "cafepos", "delivery", "menu", "orders", "pos", "realtime", "reports", "tables")

# -- values -------------------------------------------------------------------------------------------------------

HUGE_DIGITS = "9" * 5000  # past Python's int() limit of 4,300 digits
TEN_MB = 10 * 1024 * 1024
DEEP_JSON = "[" * 100_000 + "]" * 100_000

# One label per hostile value, as text (path parameters, query strings, forms, headers) and as JSON (bodies)
TEXT_VALUES = {
    "huge": HUGE_DIGITS,
    "past-bigint": "9" * 25,
    "negative": "-1",
    "zero": "0",
    "float": "1.5",
    "nan": "NaN",
    "infinity": "-Infinity",
    "date-min": "0001-01-01",
    "date-max": "9999-12-31",
    "nul": "1\x00",
    "bidi": "\u202e1\u2066\u200b",
}
JSON_VALUES = {
    "huge": "__HUGE__",  # written by json_text as a bare 5,000-digit number (json.dumps cannot write it)
    "past-bigint": 10**25,
    "negative": -1,
    "zero": 0,
    "float": 1.5,
    "nan": float("nan"),  # json.dumps writes NaN, which the standard module also reads back
    "infinity": float("-inf"),
    "date-min": "0001-01-01",
    "date-max": "9999-12-31",
    "nul": "1\x00",
    "bidi": "\u202e1\u2066\u200b",
}
# The few values a caller refused at the door gets: enough to show its refusal does not parse first and fail
DOOR_VALUES = ("huge", "nul", "bidi")


def json_text(value) -> str:
    """JSON with NaN/Infinity literals allowed (a hostile client sends them) and a 5,000-digit number written raw."""
    text = json.dumps(value, allow_nan=True)
    return text.replace('"__HUGE__"', HUGE_DIGITS)


# -- routes -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern as the resolver has it, with its path parameters."""

    route: str  # the patterns joined, e.g. "api/v1/^orders/(?P<pk>[0-9]{1,18})/$"
    pattern: URLPattern = field(compare=False, hash=False)

    @property
    def params(self) -> list[str]:
        return [name for _, name in PARAM.findall(self.route)] + GROUP.findall(self.route)

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def path(self, values: dict[str, str]) -> str:
        """The URL with each parameter replaced by its value (percent-encoded)."""
        text = self.route.replace("^", "").replace("$", "")
        text = PARAM.sub(lambda match: quote(values[match.group(2)], safe=""), text)
        text = GROUP_FULL.sub(lambda match: quote(values[match.group(1)], safe=""), text)
        return "/" + text


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
GROUP = re.compile(r"\(\?P<(\w+)>")
GROUP_FULL = re.compile(r"\(\?P<(\w+)>(?:[^()\\]|\\.)*\)")


def resolver_routes() -> list[Route]:
    """Every URL pattern of the project's URLconf, each once."""

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                yield Route(prefix + str(entry.pattern), entry)

    return list(walk(get_resolver().url_patterns, ""))


def socket_routes() -> list[str]:
    from realtime.routing import websocket_urlpatterns

    return ["/" + str(entry.pattern) for entry in websocket_urlpatterns]


# -- the names callers send ---------------------------------------------------------------------------------------

READ_IN_VIEWS = re.compile(
    r"""(?:GET|POST|query_params|data|params)(?:\.(?:get|getlist|pop)\(\s*|\[)["']([A-Za-z_]\w*)["']"""
    r"""|_query_int\(\s*\w+,\s*["'](\w+)["']"""
)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def field_names() -> tuple[list[str], set[str], set[str]]:
    """(every name, names that hold a list of objects, names that hold an object), gathered from the code."""
    from django import forms
    from django_filters import FilterSet
    from rest_framework import serializers

    names, lists, objects = set(), set(), set()
    for path in (path for app in APPS for path in (ROOT / app).rglob("*.py") if "tests" not in path.parts):
        for match in READ_IN_VIEWS.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    project = tuple(f"{app}." for app in APPS)
    for serializer in _subclasses(serializers.Serializer):
        if not serializer.__module__.startswith(project):
            continue
        try:
            fields = serializer().fields
        except Exception:  # noqa: BLE001, S112 - one that needs context to be built: its declared fields suffice
            fields = getattr(serializer, "_declared_fields", {})
        for name, declared in fields.items():
            names.add(name)
            if isinstance(declared, serializers.ListSerializer | serializers.ListField):
                lists.add(name)
            elif isinstance(declared, serializers.Serializer | serializers.DictField | serializers.JSONField):
                objects.add(name)
    for form in _subclasses(forms.BaseForm):
        if form.__module__.startswith(project):
            names.update(getattr(form, "base_fields", {}))
    for filterset in _subclasses(FilterSet):
        if filterset.__module__.startswith(project):
            names.update(filterset.base_filters)
    names.update(ADMIN_NAMES)
    return sorted(names), lists, objects


# What the admin reads besides a model's fields: changelist search, order, page, filters, actions, the login and
# password forms
ADMIN_NAMES = ("q", "o", "p", "e", "all", "_changelist_filters", "action", "_selected_action", "index",
               "select_across", "_popup", "_to_field", "username", "password", "old_password", "new_password1",
               "new_password2", "term", "app_label", "model_name", "field_name")  # fmt: skip


def admin_names(route: Route) -> list[str]:
    """The names an admin page reads: its model's fields (and their changelist filters) and the admin's own."""
    model_admin = getattr(route.pattern.callback, "model_admin", None)
    names = set(ADMIN_NAMES)
    if model_admin is not None:
        for model_field in model_admin.model._meta.get_fields():
            if getattr(model_field, "concrete", False) or model_field.many_to_many:
                names.update({model_field.name, f"{model_field.name}__exact", f"{model_field.name}__id__exact"})
    return sorted(names)


@contextlib.contextmanager
def names_read():
    """The query and form names a view reads during the block, recorded off `QueryDict` itself.

    Sending every name at once lets the first one a view refuses hide the rest (`?location=x&to=0001-01-01` is
    refused for its location before the date is parsed), so each name a view reads is also swept alone."""
    read: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def recording(original):
        def method(self, key, *args, **kwargs):
            if isinstance(key, str):
                read.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for name, original in originals.items():
        setattr(QueryDict, name, recording(original))
    try:
        yield read
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)
