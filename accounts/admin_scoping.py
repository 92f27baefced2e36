"""Admin scoping shared by every app: a model admin sees and edits only rows of the user's locations.

Rows reach a Location through `location_field` (a lookup path such as "location", "order__location",
"memberships__location", or "self" for locations themselves). Who may do what:

- by default, owners and managers of a location see and edit its rows;
- `managers_read_only = True`: managers see them, only owners add, change or delete;
- `owner_only = True`: only owners (e.g. staff management).

Querysets, foreign-key choices and object permissions all follow `accounts.selectors.locations_where`.
A choice or a filter of a location's object names its location ("Coffee — Central"): an owner of two cafes has
two "Coffee" categories, and picking the other one would file an item in the other cafe.
"""

from django.contrib import admin
from django.utils.translation import gettext

from cafepos.admin_services import IdChoiceField

from .admin_times import LocalTimesMixin
from .models import Location
from .roles import MANAGERS, OWNERS
from .selectors import locations_where, scope_to_locations


def location_label(obj) -> str:
    """An object of a location as choices and filters show it: "Coffee — Central"."""
    return gettext("%(name)s — %(location)s") % {"name": obj, "location": obj.location}


def _label_with_location(field):
    """Choices of a location's objects (the related model has a `location`) labelled with it."""
    if field is not None and hasattr(field.queryset.model, "location"):
        field.queryset = field.queryset.select_related("location")
        field.label_from_instance = location_label
    return field


class LocationLabelledFilter(admin.RelatedOnlyFieldListFilter):
    """A list filter on a location's objects (categories, modifier groups, areas) labelled with their location."""

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).distinct().values_list(f"{self.field_path}__pk", flat=True)
        related = field.related_model._default_manager.filter(pk__in=used).select_related("location")
        return sorted(((obj.pk, location_label(obj)) for obj in related), key=lambda choice: choice[1])


class LocationScopeMixin:
    location_field = "location"
    owner_only = False
    managers_read_only = False

    def _roles(self, *, write: bool) -> frozenset:
        if self.owner_only or (write and self.managers_read_only):
            return OWNERS
        return MANAGERS

    def visible_locations(self, request):
        return locations_where(request.user, self._roles(write=False))

    def editable_locations(self, request):
        return locations_where(request.user, self._roles(write=True))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        model = db_field.related_model
        if model is Location:
            field.queryset = self.editable_locations(request)
        elif field is not None and hasattr(model, "location"):
            field.queryset = field.queryset.filter(location__in=self.editable_locations(request))
        return _label_with_location(field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdChoiceField)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(db_field.related_model, "location"):
            field.queryset = field.queryset.filter(location__in=self.editable_locations(request))
        return _label_with_location(field)


class LocationScopedAdmin(LocalTimesMixin, LocationScopeMixin, admin.ModelAdmin):
    """A model admin limited to the user's locations (see the module docstring for the knobs), its times on the
    row's location's clock (`admin_times.py`)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scope_to_locations(queryset, self.visible_locations(request), location_field=self.location_field)

    def _may(self, request, locations, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return locations.exists()
        rows = self.model._base_manager.filter(pk=obj.pk)
        return scope_to_locations(rows, locations, location_field=self.location_field).exists()

    def has_module_permission(self, request):
        return self._may(request, self.visible_locations(request))

    def has_view_permission(self, request, obj=None):
        return self._may(request, self.visible_locations(request), obj)

    def has_add_permission(self, request, *args):
        return self._may(request, self.editable_locations(request))

    def has_change_permission(self, request, obj=None):
        return self._may(request, self.editable_locations(request), obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, self.editable_locations(request), obj)


class LocationScopedInline(LocationScopeMixin, admin.TabularInline):
    """Inline rows; new rows only at editable locations; permissions follow the parent admin.

    Rows are those of the (already scoped) parent object. Set `location_field` when a parent's rows may lie at
    other locations than the user's, as a user's memberships do; those rows are then hidden.
    """

    extra = 0
    location_field = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.location_field is None:
            return queryset
        return scope_to_locations(queryset, self.visible_locations(request), location_field=self.location_field)

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)
