"""Reading typed values from the environment (django-environ plus CafePOS's duration format)."""

import re

import environ

env = environ.Env()

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str) -> int:
    """Seconds from a bare number of seconds or a number with a unit: `900`, `15m`, `8h`, `7d`."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use seconds, or a number with s, m, h or d)")
    number, unit = match.groups()
    return int(number) * _UNITS[unit or "s"]


def duration(name: str, default: str) -> int:
    try:
        return parse_duration(env.str(name, default=default))
    except ValueError as error:
        raise SystemExit(f"CafePOS configuration error: {name}: {error}") from None
