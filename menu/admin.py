"""The menu back office: every page is scoped to the user's locations, saves through menu.services and shows
its change history (django-simple-history)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_scoping import LocationLabelledFilter, LocationScopedAdmin, LocationScopedInline
from cafepos.admin_services import (
    HistoryAdmin,
    ServiceAdmin,
    ServiceRulesForm,
    field_values,
    form_values,
    formset_save_through,
)
from cafepos.exceptions import ApplicationError
from cafepos.money import quantize_money

from . import services
from .csv_io import menu_export_csv, menu_import_csv
from .models import Category, MenuItem, Modifier, ModifierGroup


class MenuAdmin(ServiceAdmin, HistoryAdmin, LocationScopedAdmin):
    """A menu page: the user's locations only, writes through the services, history one click away."""


def _show_in_currency(form: forms.ModelForm, field: str, currency: str) -> None:
    """Show a stored amount (three places) with the currency's own places: 3.50, not 3.500."""
    if form.instance.pk and field in form.fields:
        form.initial[field] = quantize_money(getattr(form.instance, field), currency)


def _stock_action(name: str, description: str, service, argument: str):
    """A bulk action calling a sold-out service for each selected row, in one transaction."""

    def action(modeladmin, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                service(**{argument: obj}, by=request.user)
        modeladmin.message_user(
            request,
            _("%(description)s: done for %(count)s.") % {"description": description, "count": len(queryset)},
            messages.SUCCESS,
        )

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


# Categories, with their items inline ------------------------------------------------------------------


class CategoryForm(ServiceRulesForm):
    class Meta:
        model = Category
        fields = "__all__"

    def check_rules(self):
        services.category_validate(self.instance)


class MenuItemForm(ServiceRulesForm):
    class Meta:
        model = MenuItem
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            _show_in_currency(self, "price", self.instance.location.currency)

    def check_rules(self):
        item = self.instance
        if item.location_id is None:
            item.location = item.category.location  # an item belongs to its category's location
        services.menu_item_validate(item, modifier_groups=self.cleaned_data.get("modifier_groups"))


class MenuItemInline(LocationScopedInline):
    model = MenuItem
    form = MenuItemForm
    fields = ("name", "sku", "price", "tax_rate", "station", "sort_order", "is_active", "is_sold_out")
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(MenuAdmin):
    form = CategoryForm
    inlines = [MenuItemInline]
    list_display = ("name", "location", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    list_filter = (("location", admin.RelatedOnlyFieldListFilter), "is_active")
    search_fields = ("name",)
    list_select_related = ("location",)

    def get_readonly_fields(self, request, obj=None):
        return ("location",) if obj else ()

    def service_create(self, request, data):
        return services.category_create(**data, by=request.user)

    def service_update(self, request, obj, data):
        return services.category_update(category=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        services.category_delete(category=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        category, by = form.instance, request.user
        formset_save_through(
            formset,
            create=lambda item: services.menu_item_create(
                location=category.location, **field_values(item, MenuItemInline.fields), category=category, by=by
            ),
            update=lambda item, data: services.menu_item_update(item=item, data=data, by=by),
            delete=lambda item: services.menu_item_delete(item=item, by=by),
        )


# Items ------------------------------------------------------------------------------------------------


@admin.register(MenuItem)
class MenuItemAdmin(MenuAdmin):
    form = MenuItemForm
    fields = (
        "category",
        "name",
        "description",
        "translations",
        ("price", "tax_rate"),
        "sku",
        "station",
        "modifier_groups",
        "image",
        "sort_order",
        ("is_active", "is_sold_out"),
    )
    filter_horizontal = ("modifier_groups",)
    list_display = ("name", "category", "location", "price", "is_sold_out", "station", "is_active", "sku")
    list_editable = ("price", "is_sold_out")
    list_filter = (
        ("location", admin.RelatedOnlyFieldListFilter),
        ("category", LocationLabelledFilter),
        "station",
        "is_sold_out",
        "is_active",
    )
    search_fields = ("name", "sku", "category__name")
    list_select_related = ("category", "location")
    actions = [
        _stock_action("mark_sold_out", gettext_lazy("Mark sold out"), services.menu_item_mark_sold_out, "item"),
        _stock_action("back_in_stock", gettext_lazy("Back in stock"), services.menu_item_back_in_stock, "item"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ("location",) if obj else ()

    def get_fields(self, request, obj=None):
        return (("location",) if obj else ()) + self.fields

    def service_create(self, request, data):
        return services.menu_item_create(location=data["category"].location, **data, by=request.user)

    def service_update(self, request, obj, data):
        return services.menu_item_update(item=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        services.menu_item_delete(item=obj, by=request.user)

    # CSV import and export, per location --------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view(self.csv_view)
        return [path("csv/", view, name="menu_menuitem_csv"), *super().get_urls()]

    def csv_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = MenuCsvForm(request.POST or None, request.FILES or None, locations=self.editable_locations(request))
        if request.method == "POST" and form.is_valid():
            location = form.cleaned_data["location"]
            if "_export" in request.POST:
                response = HttpResponse(menu_export_csv(location=location), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="menu-{location.pk}.csv"'
                return response
            upload = form.cleaned_data["file"]
            if upload is None:
                form.add_error("file", _("Choose a CSV file to import."))
            else:
                try:
                    result = menu_import_csv(location=location, content=upload.read(), by=request.user)
                except ApplicationError as error:
                    form.add_error("file", error.fields.get("file") or [error.message])
                else:
                    summary = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    }
                    self.message_user(
                        request,
                        _("Menu of %(location)s imported: %(summary)s.") % {"location": location, "summary": summary},
                        messages.SUCCESS,
                    )
                    return redirect("admin:menu_menuitem_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import or export the menu as CSV"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/menu/menuitem/csv.html", context)


class MenuCsvForm(forms.Form):
    location = forms.ModelChoiceField(queryset=None)
    file = forms.FileField(required=False, help_text="UTF-8 CSV with the columns of an export.")

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        if len(locations) == 1:
            self.fields["location"].initial = locations[0]


# Modifier groups, with their modifiers inline ---------------------------------------------------------


class ModifierGroupForm(ServiceRulesForm):
    class Meta:
        model = ModifierGroup
        fields = "__all__"

    def check_rules(self):
        services.modifier_group_validate(self.instance)


class ModifierForm(ServiceRulesForm):
    class Meta:
        model = Modifier
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            _show_in_currency(self, "price_delta", self.instance.group.location.currency)

    def check_rules(self):
        services.modifier_validate(self.instance)


class ModifierFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        try:
            services.modifier_group_validate_modifiers(self.instance, modifier_count=len(kept))
        except ApplicationError as error:
            raise ValidationError(error.message) from error


class ModifierInline(LocationScopedInline):
    model = Modifier
    form = ModifierForm
    formset = ModifierFormSet
    location_field = "group__location"
    fields = ("name", "price_delta", "is_sold_out", "sort_order")
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group__location")


@admin.register(ModifierGroup)
class ModifierGroupAdmin(MenuAdmin):
    form = ModifierGroupForm
    inlines = [ModifierInline]
    list_display = ("name", "location", "min_selections", "max_selections", "is_required", "sort_order")
    list_filter = (("location", admin.RelatedOnlyFieldListFilter), "is_required")
    search_fields = ("name", "modifiers__name")
    list_select_related = ("location",)

    def get_readonly_fields(self, request, obj=None):
        return ("location",) if obj else ()

    def revert_disabled(self, request, obj=None):
        return True  # a group is only valid together with its modifiers, which are rows of their own

    def save_model(self, request, obj, form, change):
        """Saved in save_related together with its modifiers: whether a group may be required depends on them."""

    def save_related(self, request, form, formsets, change):
        (rows,) = formsets
        group, by = form.instance, request.user
        fields = form_values(form, services.GROUP_FIELDS)
        if not change:
            rows.save(commit=False)  # the new rows, unsaved: the service creates them with the group
            modifiers = [field_values(modifier, ModifierInline.fields) for modifier in rows.new_objects]
            created = services.modifier_group_create(location=group.location, **fields, modifiers=modifiers, by=by)
            group.pk = created.pk
            group._state.adding = False
            return
        # Modifiers are added before and removed after the group changes, so no step sees too few.
        rows.save(commit=False)
        for modifier in rows.new_objects:
            services.modifier_create(group=group, **field_values(modifier, ModifierInline.fields), by=by)
        for modifier, changed in rows.changed_objects:
            services.modifier_update(modifier=modifier, data=field_values(modifier, changed), by=by)
        services.modifier_group_update(group=group, data=fields, by=by)
        for modifier in rows.deleted_objects:
            services.modifier_delete(modifier=modifier, by=by)

    def service_delete(self, request, obj):
        services.modifier_group_delete(group=obj, by=request.user)


@admin.register(Modifier)
class ModifierAdmin(MenuAdmin):
    """Modifiers across groups: the quick place to 86 "Oat milk"."""

    form = ModifierForm
    location_field = "group__location"
    list_display = ("name", "group", "price_delta", "is_sold_out", "sort_order")
    list_editable = ("price_delta", "is_sold_out")
    list_filter = (
        ("group__location", admin.RelatedOnlyFieldListFilter),
        ("group", LocationLabelledFilter),
        "is_sold_out",
    )
    search_fields = ("name", "group__name")
    list_select_related = ("group__location",)
    actions = [
        _stock_action("mark_sold_out", gettext_lazy("Mark sold out"), services.modifier_mark_sold_out, "modifier"),
        _stock_action("back_in_stock", gettext_lazy("Back in stock"), services.modifier_back_in_stock, "modifier"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ("group",) if obj else ()

    def service_create(self, request, data):
        return services.modifier_create(**data, by=request.user)

    def service_update(self, request, obj, data):
        return services.modifier_update(modifier=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        services.modifier_delete(modifier=obj, by=request.user)
