"""The language pickers: a staff member's for their session at the till, a user's for the back office (kept on
their account, so it follows them to every device). `accounts.languages` applies the choice to each request."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import LanguageForm
from .languages import SESSION_LANGUAGE_KEY
from .services import user_language_set
from .terminal_auth import current_terminal


def _back(request, form: LanguageForm, default: str) -> HttpResponseRedirect:
    """Back to `next` when it is a path of this site, else to `default` (never a view name: "0" is no page)."""
    wanted = form.cleaned_data.get("next") or ""
    here = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
    return HttpResponseRedirect(wanted if here and wanted.startswith("/") else default)


@require_http_methods(["GET", "POST"])
def terminal_language(request):
    """Choose the language of this session at the till; the receipts keep the location's. Ends with the session."""
    terminal = current_terminal(request)
    if terminal is None:
        return redirect("terminal:pair")
    initial = {"language": request.LANGUAGE_CODE, "next": request.GET.get("next", "")[:500]}
    form = LanguageForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            request.session[SESSION_LANGUAGE_KEY] = form.cleaned_data["language"]
            return _back(request, form, reverse("terminal:login"))
        status = 400
    else:
        status = 200
    return render(request, "terminal/language.html", {"form": form, "terminal": terminal}, status=status)


@require_http_methods(["GET", "POST"])
def back_office_language(request):
    """Choose the back office's language for this user (blank: the browser's). Wrapped in `admin_view` by the URLs."""
    initial = {"language": request.user.language, "next": request.GET.get("next", "")[:500]}
    form = LanguageForm(request.POST or None, initial=initial, browser_choice=True)
    if request.method == "POST":
        if form.is_valid():
            user_language_set(user=request.user, language=form.cleaned_data["language"])
            return _back(request, form, reverse("admin:index"))
        status = 400
    else:
        status = 200
    context = {**admin.site.each_context(request), "form": form, "title": _("Language")}
    return render(request, "admin/language.html", context, status=status)
