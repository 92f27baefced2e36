"""The POS terminal: register, orders, floor plan, shift and receipt pages, and the installable app's manifest
and service worker.

Pages render the shell and the state it starts from; every change is made by static/pos/js through the v1 API
(or, for splitting a bill, `split` below), so the rules live in the services alone.
"""

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Terminal
from accounts.roles import FRONT_OF_HOUSE, MANAGERS
from accounts.selectors import role_at, staff_tiles
from accounts.terminal_auth import terminal_required
from cafepos import jsonbounds
from cafepos.exceptions import ApplicationError
from cafepos.formatting import date_format_spec, locale_for, money_format_spec
from cafepos.models import LocationSequence
from cafepos.money import MONEY_MAX, to_minor_units
from cafepos.security_headers import screen_policy
from menu.selectors import menu_for_location, menu_localized
from orders import services
from orders.api.v1.serializers.shifts import CashMovementResultSerializer
from orders.figures import shift_drawer
from orders.limits import PAGE_LIMITS
from orders.models import OPEN_ORDER_STATUSES, Shift
from orders.representations import order_representation, payment_representation, shift_representation
from orders.selectors import open_shift, orders_for, orders_found, payments_of, shift_cash_movements, table_statuses
from orders.services.pricing import order_totals
from tables.models import Table

from .forms import OrderLookupForm

# Scripts of each page, in order (classic deferred scripts sharing `window.CafePOS`; no build step). The
# register's dialogs come before register.js, which hands each the cart.
REGISTER_DIALOGS = ["modifiers", "line", "table", "customer", "discount", "tip"]
COMMON_SCRIPTS = [
    "cafepos/i18n.js",
    "cafepos/ui.js",
    "cafepos/money_format.js",
    "cafepos/date_format.js",
    "pos/js/core.js",
    "pos/js/api.js",
    "pos/js/store.js",
    "pos/js/sync.js",
    "cafepos/live_socket.js",
    "pos/js/socket.js",
]
PAGE_SCRIPTS = {
    "register": [
        "pos/js/pricing.js",
        "pos/js/payment.js",
        *[f"pos/js/register/{dialog}.js" for dialog in REGISTER_DIALOGS],
        "pos/js/register.js",
    ],
    "orders": ["pos/js/pricing.js", "pos/js/payment.js", "pos/js/orders.js"],
    "floor": ["pos/js/floor.js"],
    "shift": ["pos/js/shift.js"],
    "status": ["pos/js/status.js"],
}
STYLES = ["cafepos/theme.css", "accounts/terminal.css", "pos/pos.css"]
ICONS = ["pos/icons/icon-192.png", "pos/icons/icon-512.png"]
OFFLINE_PAGES = ["pos:register", "pos:orders", "pos:floor", "pos:shift", "pos:status"]
OFFLINE_DATA = ["/api/v1/menu/", "/api/v1/tables/"]
RECENT_ORDERS = 30
OPEN_ORDERS_SHOWN = 200


def _assets() -> list[str]:
    scripts = COMMON_SCRIPTS + [src for page in PAGE_SCRIPTS.values() for src in page]
    return list(dict.fromkeys(STYLES + scripts + ["pos/js/receipt.js", "pos/receipt.css"] + ICONS))


def pos_page(view):
    """A POS page: a paired POS terminal with a front-of-house staff member signed in, a strict CSP, and no
    HTTP caching (the service worker keeps the offline copy)."""

    @terminal_required(kind=Terminal.Kind.POS)
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        role = role_at(request.user, request.terminal.location)
        if role not in FRONT_OF_HOUSE:
            return render(request, "pos/forbidden.html", status=403)
        request.pos_role = role
        # The outbox position, read before the page's data: the socket replays every event after it.
        request.pos_since = (
            LocationSequence.objects.filter(location_id=request.terminal.location_id)
            .values_list("last_seq", flat=True)
            .first()
            or 0
        )
        return view(request, *args, **kwargs)

    return screen_policy(never_cache(wrapper))


def _page(request, page: str, title: str, data: dict | None = None, status: int = 200):
    terminal = request.terminal
    location = terminal.location
    locale = locale_for(location)
    config = {
        "page": page,
        "language": translation.get_language(),  # the till's: the API calls ask for it (Accept-Language)
        "since": request.pos_since,
        "ping_seconds": settings.REALTIME_PING_INTERVAL,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "staff": {"id": request.user.pk, "name": request.user.display_name, "role": request.pos_role},
        "manager_roles": sorted(MANAGERS),
        "limits": PAGE_LIMITS,
        "terminal": {"id": terminal.pk, "name": terminal.name},
        "location": {
            "id": location.pk,
            "name": location.name,
            "currency": location.currency,
            "places": location.currency_places,
            "money_max": to_minor_units(MONEY_MAX, location.currency),
            "tax_mode": location.tax_mode,
            "discount_approval_percent": str(location.discount_approval_percent),
            "max_tip_percent": str(location.max_tip_percent),
        },
        "money": money_format_spec(locale, location.currency),
        "dates": date_format_spec(locale, location),
        "urls": {
            "sw": reverse("pos:service-worker"),
            "register": reverse("pos:register"),
            "orders": reverse("pos:orders"),
            "floor": reverse("pos:floor"),
            "shift": reverse("pos:shift"),
            "status": reverse("pos:status"),
            "receipt": reverse("pos:receipt", args=[0]),
            "order": reverse("pos:order", args=[0]),
            "order_search": reverse("pos:order-search"),
            "order_payments": reverse("pos:order-payments", args=[0]),
            "split": reverse("pos:split", args=[0]),
        },
        **(data or {}),
    }
    context = {
        "page": page,
        "title": title,
        "config": config,
        "limits": PAGE_LIMITS,
        "scripts": COMMON_SCRIPTS + PAGE_SCRIPTS[page],
        "styles": STYLES,
    }
    return render(request, f"pos/{page}.html", context, status=status)


def _tables(location) -> list[dict]:
    tables = Table.objects.filter(location=location, is_active=True).select_related("area")
    return [
        {"id": t.pk, "label": t.label, "area": t.area.name, "seats": t.seats, "x": t.grid_x, "y": t.grid_y}
        for t in tables.order_by("area__sort_order", "area__name", "label")
    ]


def _managers(location) -> list[dict]:
    """Who can approve with their PIN at this terminal (the discount, void and payment dialogs)."""
    return [{"id": user.pk, "name": user.display_name} for user, role in staff_tiles(location) if role in MANAGERS]


@pos_page
def register(request):
    """Categories, the item grid and the cart; Send creates the order (or adds to `?order=<id>`)."""
    location = request.terminal.location
    menu = menu_localized(menu_for_location(location), translation.get_language())  # the till's language
    data = {
        "menu": menu,
        "tables": _tables(location),
        "managers": _managers(location),
        "drawer_open": open_shift(request.terminal.pk) is not None,
    }
    return _page(request, "register", _("Register"), data)


@pos_page
def orders(request, order_id: int | None = None):
    """Open and recent orders with their live status; open one to add items, take payment, mark it served, void,
    cancel, refund, reprint or email its receipt. `/pos/orders/<id>/` opens with that order chosen."""
    location = request.terminal.location
    scoped = orders_for(request.user, location=location)
    chosen = [get_object_or_404(scoped, pk=order_id)] if order_id else []
    open_orders = scoped.filter(status__in=OPEN_ORDER_STATUSES)[:OPEN_ORDERS_SHOWN]
    recent = scoped.exclude(status__in=OPEN_ORDER_STATUSES)[:RECENT_ORDERS]
    shown = {order.pk: order for order in [*chosen, *open_orders, *recent]}
    data = {
        "orders": [order_representation(order) for order in shown.values()],
        "selected": order_id,
        "tables": _tables(location),
        "managers": _managers(location),
        "drawer_open": open_shift(request.terminal.pk) is not None,
    }
    return _page(request, "orders", _("Orders"), data)


@require_GET
@pos_page
def order_search(request):
    """`?by=number|receipt&q=12&days=0..31`: the orders with that number or receipt number, `{"orders": [...]}`."""
    form = OrderLookupForm(request.GET)
    if not form.is_valid():
        message = _("Check the search.")
        return _error(ApplicationError("validation_error", message, {k: list(v) for k, v in form.errors.items()}))
    by, number, days = form.cleaned_data["by"], form.cleaned_data["q"], form.cleaned_data["days"]
    match = {"number": number} if by == OrderLookupForm.BY_NUMBER else {"receipt_number": number}
    found = orders_found(request.user, location=request.terminal.location, days=days, **match)[:RECENT_ORDERS]
    return JsonResponse({"orders": [order_representation(order) for order in found]})


@require_GET
@pos_page
def order_payments(request, order_id: int):
    """The order's payments (`{"payments": [...]}`, as the API shows them): what a refund goes back to."""
    location = request.terminal.location
    order = get_object_or_404(orders_for(request.user, location=location), pk=order_id)
    return JsonResponse({"payments": [payment_representation(p, location) for p in payments_of(order)]})


@pos_page
def floor(request):
    """The floor plan, each table coloured by its derived status (FREE, OCCUPIED, NEEDS_ATTENTION)."""
    location = request.terminal.location
    return _page(request, "floor", _("Floor"), {"tables": _tables(location), "statuses": table_statuses(location)})


@pos_page
def shift(request):
    """This terminal's drawer: open with a float, cash in and out, close with the counted cash (Z report)."""
    terminal = request.terminal
    current = open_shift(terminal.pk)
    last_closed = (
        Shift.objects.filter(terminal=terminal, closed_at__isnull=False)
        .select_related("location")
        .order_by("-closed_at", "-id")
        .first()
    )
    data = {
        "shift": shift_representation(current) if current else None,
        "last_closed": shift_representation(last_closed) if last_closed else None,
        "expected_cash": None,
        "movements": [],
    }
    if current:
        # What the open drawer should hold (the close dialog shows it) and the cash moved so far (kept on reload).
        data["expected_cash"] = to_minor_units(shift_drawer(current).expected, current.location.currency)
        data["movements"] = CashMovementResultSerializer(shift_cash_movements(current), many=True).data
    return _page(request, "shift", _("Shift"), data)


@pos_page
def status(request):
    """What a cashier checks when the terminal misbehaves: whether the browser keeps the offline queue
    (persistent storage), how much waits in it, the last sync, the app's version and the live socket."""
    return _page(request, "status", _("Terminal status"), {"version": app_version()})


@pos_page
def receipt(request, order_id: int):
    """The receipt for browser printing on 80 mm thermal paper."""
    location = request.terminal.location
    order = get_object_or_404(orders_for(request.user, location=location), pk=order_id)
    with translation.override(location.language):  # the guest's paper, whoever is signed in
        response = render(request, "pos/receipt.html", _receipt_context(order, location))
    response["Content-Language"] = location.language
    return response


def _receipt_context(order, location) -> dict:
    lines = list(order.lines.all())
    totals = order_totals(order, lines)
    return {
        "order": order,
        "location": location,
        "lines": lines,
        "payments": [
            {
                "tender": payment.get_tender_display().split(" (")[0],
                "paid": payment.amount + payment.tip,
                "tendered": payment.tendered,
                "change_due": payment.change_due,
                "card_last4": payment.card_last4,
                "refunded": payment.refunded_amount,
            }
            for payment in order.payments.all()
        ],
        "taxes": sorted(totals.taxes_by_rate.items()),
        "inclusive": location.tax_mode == location.TaxMode.INCLUSIVE,
        "table": order.table.label if order.table_id else None,
        "staff": order.staff.display_name if order.staff_id else None,
    }


@require_POST
@pos_page
def split(request, order_id: int):
    """Split the balance into checks: `{"parts": n}` evenly or `{"groups": [[line ids], ...]}` by items.

    Returns `{"checks": [{"check_number", "amount", "line_ids"}]}` (amounts in minor units); each check is
    then paid through the API with its `check_number`.
    """
    location = request.terminal.location
    order = get_object_or_404(orders_for(request.user, location=location), pk=order_id)
    try:
        body = jsonbounds.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return _error(ApplicationError("validation_error", _("Send a JSON object."), {}))
    try:
        if "groups" in body:
            checks = services.order_split_by_lines(order=order, groups=body["groups"])
        else:
            checks = services.order_split_even(order=order, parts=body.get("parts"))
    except ApplicationError as error:
        return _error(error)
    currency = location.currency
    return JsonResponse(
        {
            "checks": [
                {
                    "check_number": check.check_number,
                    "amount": to_minor_units(check.amount, currency),
                    "line_ids": list(check.line_ids),
                }
                for check in checks
            ]
        }
    )


def _error(error: ApplicationError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status)


@require_GET
def manifest(request):
    """The web app manifest: the register installs as a full-screen landscape app."""
    icons = [
        {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any maskable"}
        for path, size in zip(ICONS, (192, 512), strict=True)
    ]
    body = {
        "name": "CafePOS register",
        "short_name": "CafePOS",
        "id": reverse("pos:register"),
        "start_url": reverse("pos:register"),
        "scope": reverse("pos:register"),
        "display": "standalone",
        "orientation": "landscape",
        "background_color": "#f5f2ee",
        "theme_color": "#221b16",
        "icons": icons,
    }
    return JsonResponse(body, content_type="application/manifest+json")


def app_version() -> str:
    """A hash of the service worker and of the assets it caches: any change is a new version (and a new worker
    with a fresh cache)."""
    digest = hashlib.sha256(get_template("pos/sw.js").template.source.encode())
    for path in _assets():
        with open(finders.find(path), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    """The service worker, served from /pos/ so that it controls the POS pages. Its version is a hash of the
    assets it caches and of itself, so any change installs a new worker with a fresh cache."""
    config = {
        "version": app_version(),
        "scope": reverse("pos:register"),
        "assets": [static(path) for path in _assets()],
        "pages": [reverse(name) for name in OFFLINE_PAGES],
        "data": OFFLINE_DATA,
    }
    script = get_template("pos/sw.js").render({"config": json.dumps(config)})
    response = HttpResponse(script, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
