"""The one CSV writer of every file the product writes: text that a spreadsheet would run as a formula is escaped.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and Google
Sheets (`=HYPERLINK(...)` in an order's source or an item name would run on the manager's machine), so such TEXT
gets a leading `'` (OWASP "CSV Injection"). Numbers are never changed: a negative amount stays a number. Reading
one of our files back (the menu import) undoes the escape with `unescape`.
"""

import csv
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def cell(value):
    """The value as it is safe to write: text starting like a formula prefixed with `'`, anything else as given."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def unescape(text: str) -> str:
    """A cell of a file we wrote, as it was before `cell` escaped it."""
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class _Writer:
    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **options) -> _Writer:
    """`csv.writer(out, **options)` whose rows are escaped cell by cell."""
    return _Writer(out, **options)
