"""Back office for webhooks (owners register endpoints; every attempt is visible; resend) and emails sent."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy

from accounts.admin_scoping import LocationScopedAdmin
from orders.admin import ReadOnly

from .models import EmailDelivery, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .services import webhook_delivery_resend
from .webhooks import EVENT_TYPES


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        max_length=500, assume_scheme="https", help_text=gettext_lazy("Receives a signed POST per event.")
    )
    event_types = forms.MultipleChoiceField(
        choices=[(name, name) for name in EVENT_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave all unticked to receive every event type."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["location", "url", "description", "event_types", "secret", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(LocationScopedAdmin):
    owner_only = True
    form = WebhookEndpointForm
    list_display = ["url", "location", "is_active", "failing_since", "disabled_at"]
    list_filter = ["is_active", "location"]
    readonly_fields = ["created_by", "created_at", "failing_since", "disabled_at", "disabled_reason"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.is_active:
            obj.failing_since = obj.disabled_at = None
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "status_code", "succeeded", "error", "response_excerpt"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, LocationScopedAdmin):
    """Rows written by the delivery tasks only."""


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    owner_only = True
    location_field = "endpoint__location"
    list_display = ["event_id", "event_type", "endpoint", "status", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["event_id"]
    readonly_fields = [
        "endpoint",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "last_error",
        "created_at",
        "body",
    ]
    fields = readonly_fields
    inlines = [WebhookAttemptInline]
    actions = ["resend"]

    @admin.action(description=gettext_lazy("Resend the selected deliveries now"))
    def resend(self, request, queryset):
        for delivery in queryset:
            webhook_delivery_resend(delivery=delivery)
        messages.success(request, f"{queryset.count()} deliveries queued again.")


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["kind", "to", "subject", "status", "attempts", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["to", "subject"]
    fields = ["kind", "location", "to", "subject", "body", "status", "attempts", "last_error", "delivered_at"]
    readonly_fields = fields
