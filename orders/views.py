"""POS pages. A placeholder until the orders issue builds the point of sale."""

from django.shortcuts import render

from accounts.models import Terminal
from accounts.terminal_auth import terminal_required


@terminal_required(kind=Terminal.Kind.POS)
def home(request):
    return render(request, "terminal/placeholder.html", {"title": "Point of sale"})
