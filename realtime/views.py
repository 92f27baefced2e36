"""The kitchen display: one station's open tickets and its recently bumped ones (for recall), kept live over
the kitchen socket by static/realtime/kitchen.js."""

from django.conf import settings
from django.shortcuts import render

from accounts.models import Terminal
from accounts.selectors import role_at
from accounts.terminal_auth import terminal_required
from cafepos.security_headers import screen_policy
from orders.representations import ticket_representation
from orders.selectors import RECENT_DONE_TICKETS, open_tickets, recently_done_tickets
from tables.models import Table

from .auth import LISTEN_ROLES
from .groups import STATIONS
from .selectors import location_last_seq


@terminal_required(kind=Terminal.Kind.KITCHEN)
@screen_policy
def home(request):
    location = request.terminal.location
    if role_at(request.user, location) not in LISTEN_ROLES["kitchen"]:
        return render(request, "realtime/forbidden.html", status=403)
    station = request.GET.get("station", STATIONS[0])
    if station not in STATIONS:
        station = STATIONS[0]
    # The seq is read before the tickets: events after it are replayed on connect, so none falls between.
    since = location_last_seq(location.pk)
    display = {
        "station": station,
        "since": since,
        "amberMinutes": location.kitchen_amber_minutes,
        "redMinutes": location.kitchen_red_minutes,
        "pingSeconds": settings.REALTIME_PING_INTERVAL,
        "tables": dict(Table.objects.filter(location=location).values_list("id", "label")),
        "tickets": [ticket_representation(ticket) for ticket in open_tickets(location, station)],
        "done": [ticket_representation(ticket) for ticket in recently_done_tickets(location, station)],
        "doneKept": RECENT_DONE_TICKETS,
    }
    return render(request, "realtime/kitchen.html", {"display": display, "station": station, "stations": STATIONS})
