"""Admin scoping shared by every app: a model admin sees and edits only rows of the user's locations."""

from django.contrib import admin

from .models import BACK_OFFICE_ROLES, Location
from .selectors import locations_for, role_at, scope_to_user


class LocationScopedAdmin(admin.ModelAdmin):
    """Rows reach a Location through `location_field`; owners and managers of that location may edit them.

    Set `owner_only = True` for models only owners manage. Querysets, foreign-key choices and object
    permissions all follow `accounts.selectors.locations_for`, the one scoping rule.
    """

    location_field = "location"
    owner_only = False

    def get_queryset(self, request):
        return scope_to_user(super().get_queryset(request), request.user, location_field=self.location_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        model = db_field.related_model
        if model is Location:
            field.queryset = self.editable_locations(request)
        elif field is not None and hasattr(model, "location"):
            field.queryset = field.queryset.filter(location__in=self.editable_locations(request))
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(db_field.related_model, "location"):
            field.queryset = field.queryset.filter(location__in=self.editable_locations(request))
        return field

    def editable_locations(self, request):
        roles = ("OWNER",) if self.owner_only else BACK_OFFICE_ROLES
        allowed = [loc.pk for loc in locations_for(request.user) if role_at(request.user, loc) in roles]
        return Location.objects.filter(pk__in=allowed)

    def _location_of(self, obj):
        target = obj
        for part in self.location_field.split("__"):
            target = getattr(target, part)
        return target

    def _may(self, request, obj=None):
        if request.user.is_superuser:
            return True
        editable = self.editable_locations(request)
        if obj is None:
            return editable.exists()
        return editable.filter(pk=self._location_of(obj).pk).exists()

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request, *args):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)


class LocationScopedInline(admin.TabularInline):
    """Inline rows follow their parent admin's permissions; foreign keys are limited the same way."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True
