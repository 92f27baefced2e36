"""Kitchen display pages. A placeholder until the kitchen issue builds the display."""

from django.shortcuts import render

from accounts.models import Terminal
from accounts.terminal_auth import terminal_required


@terminal_required(kind=Terminal.Kind.KITCHEN)
def home(request):
    return render(request, "terminal/placeholder.html", {"title": "Kitchen display"})
