"""The admin back office: owners and managers only; each model admin scopes itself to their locations."""

from django.contrib import admin


class CafePOSAdminSite(admin.AdminSite):
    site_header = "CafePOS back office"
    site_title = "CafePOS"
    index_title = "Your cafe"
    # `/` sends an owner or manager here: a "View site" link to it would lead back to this page.
    site_url = None

    def has_permission(self, request):
        # The accounts app owns roles; a session opened with a terminal PIN never opens the back office.
        from accounts.selectors import is_back_office_user
        from accounts.terminal_auth import is_pin_session

        return is_back_office_user(request.user) and not is_pin_session(request)

    def login(self, request, extra_context=None):
        # Every password form shares one lockout (accounts.services.password_login); the form says when it refused.
        from accounts.forms import AdminLoginForm

        self.login_form = AdminLoginForm
        response = super().login(request, extra_context)
        refusal = getattr((getattr(response, "context_data", None) or {}).get("form"), "refusal", None)
        if refusal is not None:
            response.status_code = refusal.status
            response["Retry-After"] = str(refusal.retry_after)
        return response
