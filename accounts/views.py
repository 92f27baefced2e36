"""Terminal pages: pair a browser to a location, then staff sign in on it with a PIN."""

import math

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cafepos.api.throttling import client_ip
from cafepos.exceptions import ApplicationError

from .forms import TerminalPairForm
from .roles import MANAGERS
from .selectors import staff_tiles
from .services import pin_login, pin_unlock_by_manager, terminal_pair, terminal_pair_locations, terminal_revoke
from .terminal_auth import current_terminal, terminal_cookie_set, terminal_staff, terminal_staff_login


@require_http_methods(["GET", "POST"])
def pair(request):
    """A manager pairs this browser to a location once; it keeps a device credential in a cookie."""
    previous = current_terminal(request)
    form = TerminalPairForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            terminal, secret = terminal_pair(
                email=data["email"],
                password=data["password"],
                name=data["name"],
                kind=data["kind"],
                location_id=data["location"],
                client_ip=client_ip(request),
            )
        except ApplicationError as error:
            if error.code in ("location.required", "terminal.bad_location"):
                locations = terminal_pair_locations(
                    email=data["email"], password=data["password"], client_ip=client_ip(request)
                )
                form.offer_locations(locations)
            form.add_application_error(error)
            status, retry_after = error.status, error.retry_after
        else:
            if previous is not None:
                terminal_revoke(terminal=previous)  # this browser gives up its old credential
            response = redirect("terminal:login")
            terminal_cookie_set(response, secret)
            return response
    elif request.method == "POST":
        status = 400
    response = render(request, "terminal/pair.html", {"form": form, "previous": previous}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def login(request):
    """Staff tiles and a PIN pad; a right PIN opens a session for that staff member on this terminal."""
    terminal = current_terminal(request)
    if terminal is None:
        return redirect("terminal:pair")
    if request.method == "GET":
        return _login_page(request, terminal)
    staff_id = request.POST.get("staff", "")
    try:
        user = pin_login(terminal=terminal, user_id=staff_id, pin=request.POST.get("pin", ""))
    except ApplicationError as error:
        return _login_page(request, terminal, error=error, selected=staff_id)
    terminal_staff_login(request, terminal=terminal, user=user)
    return redirect(terminal.home_url)


@require_POST
def unlock(request):
    """A manager or owner of the location clears this terminal's PIN lockouts with their own PIN."""
    terminal = current_terminal(request)
    if terminal is None:
        return redirect("terminal:pair")
    try:
        manager = pin_unlock_by_manager(
            terminal=terminal, manager_id=request.POST.get("manager", ""), pin=request.POST.get("pin", "")
        )
    except ApplicationError as error:
        return _login_page(request, terminal, unlock_error=error)
    messages.success(request, f"PIN lockouts on this terminal cleared by {manager.display_name}.")
    return redirect("terminal:login")


@require_POST
def logout(request):
    """End the staff session; the browser stays paired and shows the tiles again."""
    auth_logout(request)
    return redirect("terminal:login")


def _login_page(request, terminal, *, error=None, unlock_error=None, selected=""):
    tiles = staff_tiles(terminal.location)
    refusal = error or unlock_error
    context = {
        "terminal": terminal,
        "tiles": tiles,
        "managers": [(user, role) for user, role in tiles if role in MANAGERS],
        "signed_in": terminal_staff(request, terminal),
        "error": error,
        "unlock_error": unlock_error,
        "selected": str(selected),
        "locked": refusal is not None and refusal.status == 429,
        "retry_minutes": math.ceil((refusal.retry_after or 0) / 60) if refusal else 0,
    }
    response = render(request, "terminal/login.html", context, status=refusal.status if refusal else 200)
    if refusal is not None and refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response
