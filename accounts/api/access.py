"""Who may do what, declared once per resource, and which location a request is about.

A view declares `access = {"list": Allow(ANY_ROLE, scope="orders:read"), "create": Allow(FRONT_OF_HOUSE, ...)}`,
keyed by viewset action (or lower-case HTTP method for plain views). `LocationAccess` then:

1. refuses callers without credentials (401);
2. resolves the location: `?location=<id>` or `location_id` in a JSON body; without either, the caller's only
   location, or 400 `location.required` when they have several. A location that is not the caller's → 404;
3. checks the caller's live role at that location (staff) or the key's scopes (API keys) → 403 otherwise.

It sets `request.location` and `request.role`. Objects are then looked up within `request.location`,
so another location's object is a 404, never a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from accounts.models import Location
from cafepos.api.params import parse_id
from cafepos.exceptions import ApplicationError

from .principal import Principal


@dataclass(frozen=True)
class Allow:
    """Staff with one of `roles` at the location, or an API key holding `scope` (None: no API key).

    `per_location=False` is for endpoints about the caller rather than a location (`/me/`, `/locations/`):
    any authenticated caller may use them.
    """

    roles: frozenset[str] = frozenset()  # a set of accounts.roles
    scope: str | None = None
    per_location: bool = True
    delegable: bool = False  # a write a terminal may send for staff not signed in on it now (offline sync)


ANY_CALLER = Allow(per_location=False)


def rule_for(view, request) -> Allow:
    method = request.method.lower()
    action = getattr(view, "action", None) or ("get" if method == "head" else method)
    if action in ("options", "metadata"):  # OPTIONS (viewsets call it "metadata"): describes, changes nothing
        return ANY_CALLER
    if action in getattr(view, "access", {}):
        return view.access[action]
    if method not in view.http_method_names or not hasattr(view, method):
        raise exceptions.MethodNotAllowed(request.method)  # checked here since permissions run before dispatch
    raise ImproperlyConfigured(f"{type(view).__name__}.access declares no rule for {action!r}")


class LocationAccess(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        principal = request.auth
        if not isinstance(principal, Principal):
            raise exceptions.NotAuthenticated()
        rule = rule_for(view, request)
        if principal.delegated and not delegation_allowed(rule, request):
            raise ApplicationError(
                "auth.delegation_refused",
                _("Only orders and payments can be sent for staff not signed in here: sign in with your PIN."),
                status=403,
            )
        if not rule.per_location:
            return True
        request.location = resolve_location(request, principal)
        if principal.api_key is not None:
            request.role = None
            allowed = rule.scope is not None and rule.scope in principal.scopes
        else:
            request.role = principal.role_at(request.location)
            allowed = request.role in rule.roles
        if not allowed:
            raise exceptions.PermissionDenied(_refusal(rule, principal))
        return True


def delegation_allowed(rule: Allow, request) -> bool:
    """A delegated request (a terminal acting for someone not signed in on it now) may only send what an offline
    queue sends: writes declared `delegable`. Never a read, which would show another's data to whoever holds the
    till, and never an approval (the services do not count a delegated caller's own role as one)."""
    return rule.delegable and request.method not in permissions.SAFE_METHODS


def _refusal(rule: Allow, principal: Principal) -> str:
    if principal.api_key is not None:
        if rule.scope:
            return _("This API key lacks the %(scope)s scope.") % {"scope": rule.scope}
        return _("API keys may not do this.")
    return _("Your role at this location may not do this.")


def resolve_location(request, principal: Principal) -> Location:
    requested = request.query_params.get("location")
    if requested is None and request.method not in permissions.SAFE_METHODS and isinstance(request.data, dict):
        requested = request.data.get("location_id")
    if requested is not None:
        location_id = parse_id(requested)
        if location_id is None:
            message = _("A location id is a positive integer.")
            raise ApplicationError("validation_error", message, {"location": [message]})
        found = principal.location_choices(location_id)
        if not found:
            raise ApplicationError("location.not_found", _("No such location of yours."), status=404)
        return found[0]
    candidates = principal.location_choices(None)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise exceptions.PermissionDenied(_("You have no role at any location."))
    raise ApplicationError(
        "location.required",
        _("You work at several locations: pass ?location=<id> (or location_id in the body)."),
        {"location": [_("Required.")]},
    )
