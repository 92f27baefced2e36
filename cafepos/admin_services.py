"""Admin pages that write through services, shared by every app's admin.

`ServiceRulesForm` runs a service's own rule on the object the form is about to save, so the admin shows the
messages the service would raise (one rule, two callers). `ServiceAdmin` saves and deletes through the
service; a refusal that still reaches it (a concurrent edit) becomes an error message instead of a 500.
`HistoryAdmin` is simple_history's admin with an object id that is no id answered 404, and `IdChoiceField` a
many-to-many choice that refuses what is no id before the database sees it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from cafepos.api.params import parse_id
from cafepos.exceptions import ApplicationError


def form_add_application_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal on a form: field messages on their fields, the others at the top."""
    if not error.fields:
        form.add_error(None, error.message)
    for field, field_messages in error.fields.items():
        if field in form.fields:
            form.add_error(field, field_messages)
        else:
            label = field.replace("_", " ").capitalize()
            form.add_error(None, [f"{label}: {message}" for message in field_messages])


class ServiceRulesForm(forms.ModelForm):
    """A model form checked by a service's rule once Django has applied the input to `self.instance`."""

    def check_rules(self) -> None:
        """Call the service's validation on `self.instance`; it raises ApplicationError."""
        raise NotImplementedError

    def _get_validation_exclusions(self):
        """Leave the model's check constraints to the service, which checks the same ranges with a message on the
        field (Django's own check would answer first, naming the constraint); the database still enforces them."""
        exclude = super()._get_validation_exclusions()
        for constraint in self.instance._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                exclude |= constraint.condition.referenced_base_fields
        return exclude

    def _post_clean(self):
        super()._post_clean()  # applies the input to self.instance (Django's UserCreationForm hooks in here too)
        if not self.errors:
            try:
                self.check_rules()
            except ApplicationError as error:
                form_add_application_error(self, error)


def field_values(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def form_values(form: forms.ModelForm, names) -> dict:
    """The submitted values of `names` as the form applied them to its instance (many-to-many: as cleaned).

    The primary key (a hidden field of changelist and inline forms) is not a value to write.
    """
    opts = form.instance._meta
    many_to_many = {field.name for field in opts.many_to_many}
    return {
        name: form.cleaned_data[name] if name in many_to_many else getattr(form.instance, name)
        for name in names
        if name != opts.pk.name
    }


def formset_save_through(formset, *, create, update, delete) -> None:
    """Save inline rows with service calls: create(obj), update(obj, changed_values), delete(obj).

    `formset.save(commit=False)` computes Django's own diff of the rows (and what the admin's change message
    lists) without writing anything.
    """
    formset.save(commit=False)
    for obj in formset.new_objects:
        create(obj)
    for obj, changed in formset.changed_objects:
        update(obj, field_values(obj, changed))
    for obj in formset.deleted_objects:
        delete(obj)


class RowLabelledFields:
    """A change list's editable cells have no <label> of their own: each is named by its column and its row
    ("Price: Latte"), so a screen reader says which cell it is in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", f"{field.label}: {self.instance}")


class ServiceAdmin(admin.ModelAdmin):
    """save_model and delete_model call services: implement `service_create`, `service_update`, `service_delete`."""

    def service_create(self, request, data: dict):
        raise NotImplementedError

    def service_update(self, request, obj, data: dict):
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, form=self.form, **kwargs)  # list_editable checks the rules too

        class RowForm(RowLabelledFields, form):
            pass

        return RowForm

    def save_model(self, request, obj, form, change):
        # Every field of the form, not only changed_data: the service compares with the stored row, and a
        # history revert submits values equal to its form's initial ones.
        values = form_values(form, form.fields)
        if change:
            self.service_update(request, obj, values)
        else:
            created = self.service_create(request, values)
            obj.pk = created.pk  # the admin goes on (log entry, redirect) with the object its form built
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields were written by the service; inline rows go through save_formset."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.service_delete(request, obj)

    def _refused(self, request, error: ApplicationError):
        self.message_user(request, error.message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ApplicationError as error:
            return self._refused(request, error)

    def changelist_view(self, request, *args, **kwargs):
        try:
            return super().changelist_view(request, *args, **kwargs)
        except ApplicationError as error:
            return self._refused(request, error)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except ApplicationError as error:
            return self._refused(request, error)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history looks the object up by the id as typed: `1.5` or 5,000 digits was a 500, not a 404."""

    def history_view(self, request, object_id, extra_context=None):
        if parse_id(unquote(object_id)) is None:
            raise Http404(_("No such object."))
        return super().history_view(request, object_id, extra_context)


class IdChoiceField(forms.ModelMultipleChoiceField):
    """A many-to-many choice by id whose values are checked as ids first (SQLite cannot even compare 10**25)."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": str(pk)[:20]})  # fmt: skip
        return super()._check_values(value)
