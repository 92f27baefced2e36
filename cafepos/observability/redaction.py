"""Keep secrets out of logs and error reports: PINs, passwords, tokens, keys, cookies and card data.

One rule for both logging (`logs.RedactingFilter`) and Sentry (`sentry.scrub_event`): a value whose key
names a secret is replaced, and free text is scanned for `key=value` pairs, bearer tokens and card numbers.
"""

import re
from typing import Any

REDACTED = "[REDACTED]"

# Words that make a key sensitive when they appear as a whole part of it (`pin`, `pin_hash`, `X-Api-Key`,
# `cardNumber`), so that `shipping` or `spinner` stay readable.
_WORDS = (
    "password|passwords|passwd|pwd|pin|pins|token|tokens|secret|secrets|authorization|cookie|cookies|card|cvv|cvc"
    "|pan|api_key|apikey|sessionid|session_key|csrf|csrftoken|csrfmiddlewaretoken|signature|credential|credentials"
    "|dsn|access|refresh"
)
_SENSITIVE_KEY = re.compile(rf"(?:^|_)(?:{_WORDS})(?:$|_)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# `Authorization: Bearer x`, `Authorization: Api-Key x`, `Authorization: Terminal x`: scheme and credential.
_AUTHORIZATION = re.compile(r"""(?i)(authorization["']?\s*[:=]\s*["']?)(?:[\w-]+\s+)?[^\s"'&,;})\]]+""")
# A credential after a scheme word anywhere else: `Bearer eyJ...`, `Api-Key ck_...`.
_SCHEME = re.compile(r"(?i)\b(bearer|basic|api-key|apikey)(\s+)[A-Za-z0-9._~+/=-]{4,}")
# `pin=1234`, `"password": "x"`, `token: abc` inside free text (messages, query strings, tracebacks).
_PAIR = re.compile(
    rf"""(?ix)
    (\b(?:[\w-]*[_-])?(?:{_WORDS.replace("_", "[_-]")})\w*["']?\s*[:=]\s*["']?)   # the key and separator
    (?!\[REDACTED\])([^\s"'&,;}})\]]+)                                               # the value
    """
)
# Prose: `PIN '918273' rejected`, `pin 1234`, `password "x"`: a quoted value, or a number, after the word.
_WORD_THEN_VALUE = re.compile(
    rf"""(?i)\b((?:{_WORDS.replace("_", "[_-]")})\s+)(?:(["'])(?!\[REDACTED\])[^"'\s]+\2|\d{{4,}}\b)"""
)
_DIGITS = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")


def is_sensitive_key(key: object) -> bool:
    """True for keys such as `pin`, `password`, `Authorization`, `HTTP_X_API_KEY`, `card_number`."""
    normalized = _CAMEL.sub("_", str(key)).lower().replace("-", "_").replace(" ", "_")
    return bool(_SENSITIVE_KEY.search(normalized))


def redact_text(text: str) -> str:
    """The text with secret-looking values replaced; everything else unchanged."""
    text = _AUTHORIZATION.sub(lambda match: match.group(1) + REDACTED, text)
    text = _SCHEME.sub(lambda match: match.group(1) + match.group(2) + REDACTED, text)
    text = _PAIR.sub(lambda match: match.group(1) + REDACTED, text)
    # Card numbers before the word rule, which would take only a spaced number's first group (`card 4111 1111 …`).
    text = _DIGITS.sub(lambda match: REDACTED if _luhn_valid(match.group()) else match.group(), text)
    return _WORD_THEN_VALUE.sub(lambda match: match.group(1) + REDACTED, text)


def redact(value: Any) -> Any:
    """A copy of `value` (dicts, lists, tuples, strings, nested) with every secret replaced."""
    if isinstance(value, dict):
        return {key: REDACTED if is_sensitive_key(key) else redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact(item) for item in value)
    if isinstance(value, str):
        return redact_text(value)
    return value


def _luhn_valid(candidate: str) -> bool:
    """Card numbers pass the Luhn check; most other long numbers (ids, timestamps) do not."""
    digits = [int(char) for char in candidate if char.isdigit()]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
