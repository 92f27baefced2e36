"""Parsing ids and numbers from query strings, headers and bodies without letting bad input reach the database.

The one bounded integer parser: the length is checked before `int()` (which refuses strings over 4,300 digits
with a `ValueError`, and spends quadratic time below that), so no caller can turn a long digit string into a 500.

Dates too: `parse_date` accepts only years a cafe's books can hold, so no range arithmetic (a day before, 14 days
back, local midnight) can step past `date.min`/`date.max` into an `OverflowError`.
"""

import datetime

from django.utils.functional import lazy
from django.utils.translation import gettext

MIN_DATE = datetime.date(2000, 1, 1)
MAX_DATE = datetime.date(2099, 12, 31)
MAX_DATE_CHARS = len("YYYY-MM-DD")
DATE_MESSAGE = lazy(
    lambda: gettext("Dates are YYYY-MM-DD, from %(first)s to %(last)s.") % {"first": MIN_DATE, "last": MAX_DATE},
    str,
)()  # in the language active when shown
MAX_ID = 2**63 - 1  # PostgreSQL bigint: a larger number would be a database error, not a 404
MAX_INT_DIGITS = len(str(MAX_ID))  # 19: no bounded number this project parses has more


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number from minimum to maximum, from a string of ASCII digits or an int; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip() if value is not None else ""
        if not (0 < len(text) <= MAX_INT_DIGITS and text.isascii() and text.isdigit()):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A positive database id from a string or int, or None for anything else (letters, '²', 10**30, 10**5000)."""
    return parse_int(value, minimum=1)


def parse_date(value) -> datetime.date | None:
    """A YYYY-MM-DD date from MIN_DATE to MAX_DATE, or None for anything else (0001-01-01, 9999-12-31, 2026-02-30)."""
    text = str(value).strip() if value is not None else ""
    if len(text) != MAX_DATE_CHARS or not text.isascii():
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None
