"""The site's start page, `/`: each visitor goes where they belong."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import is_back_office_user
from .terminal_auth import current_terminal, is_pin_session


@never_cache
@require_GET
def start(request):
    """A paired terminal opens its screen (which asks for a PIN when no one is signed in), a signed-in owner or
    manager the back office; anyone else gets the ways in: back-office sign-in, pairing, the API's documentation."""
    terminal = current_terminal(request)
    if terminal is not None:
        return redirect(terminal.home_url)
    if is_back_office_user(request.user) and not is_pin_session(request):
        return redirect("admin:index")
    return render(request, "terminal/start.html")
