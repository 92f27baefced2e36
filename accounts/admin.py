"""Back office for staff, locations and terminals: an owner manages their organization, a manager their location."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cafepos.exceptions import ApplicationError

from .admin_scoping import LocationScopedAdmin, LocationScopedInline
from .models import ApiKey, Location, Membership, Organization, Terminal, User
from .selectors import organizations_for, scope_to_locations
from .services import (
    api_key_create,
    api_key_revoke,
    membership_remove,
    membership_set,
    pin_lockouts_clear,
    pin_validate,
    terminal_revoke,
    user_pin_set,
)


class MembershipInlineForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["location", "role", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # To move someone to another location, remove this role and add a new one.
            self.fields["location"].disabled = True


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if len(kept) < self.min_num:
            raise forms.ValidationError(_("Give this person a role at one of your locations."))


class MembershipInline(LocationScopedInline):
    model = Membership
    form = MembershipInlineForm
    formset = MembershipFormSet
    location_field = "location"  # a user may also work at locations this owner does not see
    owner_only = True
    verbose_name = gettext_lazy("role")
    verbose_name_plural = gettext_lazy("roles (admin access follows: owners and managers only)")

    def get_min_num(self, request, obj=None, **kwargs):
        # Staff must work somewhere the owner can see, or they would vanish from the owner's list.
        return 0 if request.user.is_superuser else 1


class UserAdminForm(forms.ModelForm):
    new_pin = forms.CharField(
        label=gettext_lazy("New PIN"),
        required=False,
        strip=True,
        help_text=gettext_lazy("4 to 6 digits, for signing in on terminals. Leave empty to keep the current PIN."),
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    new_password = forms.CharField(
        label=gettext_lazy("New password"),
        required=False,
        strip=False,
        help_text=gettext_lazy(
            "For the back office and the API. Leave empty to keep the current password (new staff: none)."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "is_active"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A user with this email exists."))
        return email

    def clean_new_pin(self):
        pin = self.cleaned_data.get("new_pin", "")
        if pin:
            try:
                pin_validate(pin)
            except ApplicationError as error:
                raise forms.ValidationError(error.message) from None
        return pin

    def clean_new_password(self):
        password = self.cleaned_data.get("new_password", "")
        if password:
            validate_password(password, user=self.instance)
        return password


@admin.register(User)
class UserAdmin(LocationScopedAdmin):
    """Owners manage the staff of their organization's locations; users are scoped through their memberships."""

    location_field = "memberships__location"
    owner_only = True
    form = UserAdminForm
    inlines = [MembershipInline]
    list_display = ["email", "full_name", "is_active", "roles", "has_pin"]
    list_filter = ["is_active"]
    search_fields = ["email", "full_name"]
    ordering = ["full_name", "email"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        roles = scope_to_locations(Membership.objects.select_related("location"), self.editable_locations(request))
        return queryset.prefetch_related(Prefetch("memberships", queryset=roles, to_attr="scoped_memberships"))

    def get_fields(self, request, obj=None):
        if self._works_elsewhere(request, obj):
            return ["email", "full_name", "is_active"]
        return ["email", "full_name", "is_active", "new_pin", "new_password"]

    def get_readonly_fields(self, request, obj=None):
        # Someone who also works for another organization keeps their login details out of this owner's reach.
        return ["email", "full_name", "is_active"] if self._works_elsewhere(request, obj) else []

    def _works_elsewhere(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return False
        return obj.memberships.exclude(location__in=self.editable_locations(request)).exists()

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: orders and terminals keep pointing at their staff.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        password = form.cleaned_data.get("new_password")
        if password:
            obj.set_password(password)
        elif not change:
            obj.set_unusable_password()
        obj.save()
        if form.cleaned_data.get("new_pin"):
            user_pin_set(user=obj, pin=form.cleaned_data["new_pin"])

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        changed = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_remove(membership=membership)
        for membership in changed:
            membership_set(
                user=form.instance, location=membership.location, role=membership.role, is_active=membership.is_active
            )

    @admin.display(description=gettext_lazy("Roles"))
    def roles(self, obj):
        at = _("%(role)s at %(location)s")
        return (
            ", ".join(at % {"role": m.get_role_display(), "location": m.location} for m in obj.scoped_memberships)
            or "—"
        )

    @admin.display(description=gettext_lazy("PIN"), boolean=True)
    def has_pin(self, obj):
        return bool(obj.pin_hash)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Owners see and rename their own organizations; creating or deleting one is for superusers."""

    list_display = ["name", "customer_data_retention_days"]
    fields = ["name", "customer_data_retention_days"]

    def get_queryset(self, request):
        return organizations_for(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        organizations = organizations_for(request.user)
        return (organizations.filter(pk=obj.pk) if obj else organizations).exists()

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Location)
class LocationAdmin(LocationScopedAdmin):
    """Managers see their location's settings; owners change them and add locations to their organization."""

    location_field = "self"
    managers_read_only = True
    list_display = [
        "name",
        "organization",
        "country",
        "language",
        "time_zone",
        "currency",
        "tax_mode",
        "business_day_cutoff_hour",
    ]
    search_fields = ["name"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *("organization", "name", "country", "language", "time_zone", "currency", "tax_mode"),
                    *("business_day_cutoff_hour", "discount_approval_percent", "max_tip_percent"),
                    "void_sent_needs_manager",
                    *("kitchen_amber_minutes", "kitchen_red_minutes"),
                ]
            },
        ),
        (
            gettext_lazy("On receipts"),
            {
                "fields": ["legal_name", "address", "tax_number", "receipt_footer"],
                "description": gettext_lazy("What the law asks a receipt to say about the seller, beside its name."),
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = organizations_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TerminalStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Terminal)
class TerminalAdmin(LocationScopedAdmin):
    """Terminals are paired at /terminal/pair/; here they are renamed, revoked and their PIN lockouts cleared."""

    list_display = ["name", "location", "kind", "last_seen_at", "is_active", "paired_by", "paired_at"]
    list_filter = [TerminalStatusFilter, "kind", ("location", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["location", "paired_by"]
    search_fields = ["name"]
    fields = ["name", "location", "kind", "paired_by", "paired_at", "last_seen_at", "revoked_at"]
    readonly_fields = ["location", "kind", "paired_by", "paired_at", "last_seen_at", "revoked_at"]
    actions = ["revoke", "unlock_pin_lockouts"]

    @admin.display(description=gettext_lazy("Active"), boolean=True)
    def is_active(self, obj):
        return obj.is_active

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy("Revoke selected terminals (they must be paired again)"), permissions=["change"]
    )
    def revoke(self, request, queryset):
        for terminal in queryset:
            terminal_revoke(terminal=terminal)
        count = len(queryset)
        message = ngettext("%(count)s terminal revoked.", "%(count)s terminals revoked.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Unlock PIN lockouts on selected terminals"), permissions=["change"])
    def unlock_pin_lockouts(self, request, queryset):
        for terminal in queryset:
            pin_lockouts_clear(terminal=terminal)
        count = len(queryset)
        message = ngettext(
            "PIN lockouts cleared on %(count)s terminal.", "PIN lockouts cleared on %(count)s terminals.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


class ApiKeyAddForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, scope) for scope in ApiKey.SCOPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "What the third party may do at this location. A key cannot be changed: revoke it and add a new one."
        ),
    )

    class Meta:
        model = ApiKey
        fields = ["location", "name", "scopes"]


@admin.register(ApiKey)
class ApiKeyAdmin(LocationScopedAdmin):
    """Owners give third parties keys for one location: shown once on creation, stored hashed, revocable."""

    owner_only = True
    form = ApiKeyAddForm
    list_display = ["name", "location", "prefix", "scope_list", "last_used_at", "is_active", "created_at"]
    list_filter = [("location", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["location"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]
    shown_fields = ["name", "location", "prefix", "scopes", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        return ["location", "name", "scopes"] if obj is None else self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.shown_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the key's history stays

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        created, key = api_key_create(
            location=data["location"], name=data["name"], scopes=data["scopes"], created_by=request.user
        )
        obj.pk, obj.prefix, obj.created_at = created.pk, created.prefix, created.created_at
        request.new_api_key = key

    def response_add(self, request, obj, post_url_continue=None):
        """The key itself, this once; it is not stored anywhere it could be shown again."""
        context = {**self.admin_site.each_context(request), "opts": self.opts, "api_key": obj}
        context.update(key=request.new_api_key, title=_("API key “%(name)s” created") % {"name": obj.name})
        return TemplateResponse(request, "admin/accounts/apikey/created.html", context)

    @admin.display(description=gettext_lazy("Scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    @admin.display(description=gettext_lazy("Active"), boolean=True)
    def is_active(self, obj):
        return obj.is_active

    @admin.action(description="Revoke selected API keys", permissions=["change"])
    def revoke(self, request, queryset):
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        count = len(queryset)
        message = ngettext("%(count)s API key revoked.", "%(count)s API keys revoked.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)
