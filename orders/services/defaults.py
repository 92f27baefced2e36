"""What a write falls back to when its request names nothing: the calling terminal, and that terminal's open
shift."""

from django.utils.translation import gettext as _

from accounts.models import Terminal
from cafepos.exceptions import ApplicationError

from ..models import Shift
from ..selectors import open_shift


def shift_terminal(*, named: Terminal | None, calling: Terminal | None) -> Terminal:
    """The terminal a shift opens on: the one the request names, else the calling one; a 400 without either."""
    terminal = named or calling
    if terminal is None:
        message = _("Call from a terminal, or name one with terminal_id.")
        raise ApplicationError("shift.terminal_required", message, {"terminal_id": [message]})
    return terminal


def payment_shift(*, named: Shift | None, calling_terminal: Terminal | None) -> Shift | None:
    """The shift a payment goes into: the one the request names, else the calling terminal's open shift (None
    without either: the payment service then tries the order's terminal)."""
    if named is None and calling_terminal is not None:
        return open_shift(calling_terminal.pk)
    return named
