"""Times in the back office on the clock of the row's location, not the server's UTC.

A change list shows each date-and-time column of a row in its location's zone (with the zone's name when the
reader's locations lie in more than one zone, so 05:02 in Paris is not taken for 05:02 in New York); a change page
renders the whole object, its read-only times and its inlines, in its location's zone. The location is reached
through the admin's `location_field` when that path follows foreign keys only (a user's memberships do not lead to
one location: such admins keep the default).
"""

from functools import cached_property

from django.contrib.admin.utils import display_for_value, unquote
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from cafepos.api.params import parse_id
from cafepos.formatting import format_datetime, locale_for


class LocalTimesMixin:
    location_field = "location"

    @cached_property
    def _location_attrs(self) -> list[str] | None:
        """The attributes leading from a row to its location ([] for a location itself); None if there is no one."""
        if self.location_field == "self":
            return []
        model, attrs = self.model, self.location_field.split("__")
        for attr in attrs:
            field = model._meta.get_field(attr)
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                return None
            model = field.related_model
        return attrs

    def _location_of(self, obj):
        for attr in self._location_attrs:
            obj = getattr(obj, attr)
            if obj is None:
                return None
        return obj

    def _zones_differ(self, request) -> bool:
        return self.visible_locations(request).values("time_zone").distinct().count() > 1

    def _is_time(self, name) -> bool:
        if not isinstance(name, str):
            return False
        field = next((field for field in self.model._meta.concrete_fields if field.name == name), None)
        return isinstance(field, models.DateTimeField)

    def _local_time_column(self, name: str, *, zoned: bool):
        field = self.model._meta.get_field(name)

        def column(obj):
            value, location = getattr(obj, name), self._location_of(obj)
            if value is None or location is None:
                return display_for_value(value, self.get_empty_value_display())
            shown = format_datetime(value, location, locale_for(location))
            return f"{shown} ({location.time_zone})" if zoned else shown

        column.short_description = field.verbose_name
        column.admin_order_field = name
        column.__name__ = f"{name}_local"
        return column

    def get_list_display(self, request):
        names = super().get_list_display(request)
        if self._location_attrs is None or not any(self._is_time(name) for name in names):
            return names
        zoned = self._zones_differ(request)
        return [self._local_time_column(name, zoned=zoned) if self._is_time(name) else name for name in names]

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        if not self._location_attrs or related is True:
            return related
        if related is False:  # what Django would follow by itself: the foreign keys the list shows
            names = super().get_list_display(request)
            related = [name for name in names if isinstance(name, str) and self._is_foreign_key(name)]
        return [*related, "__".join(self._location_attrs)]

    def _is_foreign_key(self, name: str) -> bool:
        return any(field.name == name and field.many_to_one for field in self.model._meta.concrete_fields)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        known = self._location_attrs is not None and parse_id(unquote(object_id)) is not None
        obj = self.get_object(request, unquote(object_id)) if known else None  # a hostile id: Django's own answer
        location = self._location_of(obj) if obj is not None else None
        if location is None:
            return super().change_view(request, object_id, form_url, extra_context)
        extra_context = dict(extra_context or {})
        if self._zones_differ(request):
            zone = {"object": obj, "zone": location.time_zone}
            extra_context["subtitle"] = _("%(object)s · times in %(zone)s") % zone
        with timezone.override(location.zone):
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # while the zone is active: a template response renders lazily
        return response
