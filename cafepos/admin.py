"""Read-only back-office views of the outbox and the idempotency store (for support and debugging)."""

from django.contrib import admin

from .models import Event, IdempotencyKey


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services: nobody adds, edits or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """Superusers see every event; owners see their organization's locations (payloads hold customer data)."""

    list_display = ("location_id", "seq", "type", "created_at", "published_at")
    list_filter = ("type", ("published_at", admin.EmptyFieldListFilter))
    ordering = ("-id",)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        from accounts.selectors import is_owner  # accounts owns roles (as in admin_site)

        if request.user.is_superuser:
            return True
        return is_owner(request.user) and (obj is None or self.get_queryset(request).filter(pk=obj.pk).exists())

    def get_queryset(self, request):
        from accounts.selectors import locations_for

        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(location_id__in=locations_for(request.user).values("pk"))


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    """Superusers only: keys belong to principals of every organization and carry no location."""

    list_display = ("scope", "key", "state", "response_status", "created_at")
    list_filter = ("state",)
    search_fields = ("scope", "key")
    ordering = ("-id",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
