"""The admin back office: owners and managers only; each model admin scopes itself to their locations."""

from django.contrib import admin


class CafePOSAdminSite(admin.AdminSite):
    site_header = "CafePOS back office"
    site_title = "CafePOS"
    index_title = "Your cafe"

    def has_permission(self, request):
        from accounts.selectors import is_back_office_user  # the accounts app owns roles

        return is_back_office_user(request.user)
