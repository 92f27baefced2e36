"""Parsing ids and numbers from query strings and headers without letting bad input reach the database."""

MAX_ID = 2**63 - 1  # PostgreSQL bigint: a larger number would be a database error, not a 404


def parse_id(value) -> int | None:
    """A positive database id from a string or int, or None for anything else (letters, '²', 10**30)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
