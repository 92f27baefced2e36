"""The floor-plan back office: areas with their tables, scoped to the user's locations, saved through
tables.services, with change history (django-simple-history)."""

from django.contrib import admin

from accounts.admin_scoping import LocationLabelledFilter, LocationScopedAdmin, LocationScopedInline
from cafepos.admin_services import HistoryAdmin, ServiceAdmin, ServiceRulesForm, field_values, formset_save_through

from . import services
from .models import Area, Table


class TablesAdmin(ServiceAdmin, HistoryAdmin, LocationScopedAdmin):
    """A floor-plan page: the user's locations only, writes through the services, history one click away."""

    def get_readonly_fields(self, request, obj=None):
        return ("location",) if obj else ()


class AreaForm(ServiceRulesForm):
    class Meta:
        model = Area
        fields = "__all__"

    def check_rules(self):
        services.area_validate(self.instance)


class TableForm(ServiceRulesForm):
    class Meta:
        model = Table
        fields = "__all__"

    def check_rules(self):
        table = self.instance
        table.location_id = table.area.location_id  # a table belongs to its area's location
        services.table_validate(table)


class TableInline(LocationScopedInline):
    model = Table
    form = TableForm
    fields = ("label", "seats", "grid_x", "grid_y", "is_active")


@admin.register(Area)
class AreaAdmin(TablesAdmin):
    form = AreaForm
    inlines = [TableInline]
    list_display = ("name", "location", "sort_order")
    list_editable = ("sort_order",)
    list_filter = (("location", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "tables__label")
    list_select_related = ("location",)

    def service_create(self, request, data):
        return services.area_create(**data, by=request.user)

    def service_update(self, request, obj, data):
        return services.area_update(area=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        services.area_delete(area=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        area, by = form.instance, request.user
        formset_save_through(
            formset,
            create=lambda table: services.table_create(area=area, **field_values(table, TableInline.fields), by=by),
            update=lambda table, data: services.table_update(table=table, data=data, by=by),
            delete=lambda table: services.table_delete(table=table, by=by),
        )


@admin.register(Table)
class TableAdmin(TablesAdmin):
    form = TableForm
    fields = ("area", "label", "seats", ("grid_x", "grid_y"), "is_active")
    list_display = ("label", "area", "location", "seats", "grid_x", "grid_y", "is_active")
    list_editable = ("seats", "is_active")
    list_filter = (
        ("location", admin.RelatedOnlyFieldListFilter),
        ("area", LocationLabelledFilter),
        "is_active",
    )
    search_fields = ("label", "area__name")
    list_select_related = ("area", "location")

    def get_fields(self, request, obj=None):
        return (("location",) if obj else ()) + self.fields

    def service_create(self, request, data):
        return services.table_create(**data, by=request.user)

    def service_update(self, request, obj, data):
        return services.table_update(table=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        services.table_delete(table=obj, by=request.user)
