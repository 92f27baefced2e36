"""The admin back office: owners and managers only; each model admin scopes itself to their locations."""

from django.contrib import admin


class CafePOSAdminSite(admin.AdminSite):
    site_header = "CafePOS back office"
    site_title = "CafePOS"
    index_title = "Your cafe"

    def has_permission(self, request):
        # The accounts app owns roles; a session opened with a terminal PIN never opens the back office.
        from accounts.selectors import is_back_office_user
        from accounts.terminal_auth import is_pin_session

        return is_back_office_user(request.user) and not is_pin_session(request)
