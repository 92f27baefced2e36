"""Production: refuse to start without real secrets, and harden cookies and transport."""

from .base import *  # noqa: F403
from .base import DEV_JWT_SECRET, DEV_SECRET_KEY, JWT_SECRET, SECRET_KEY
from .env import env

# Django's deploy check wants a SECRET_KEY of 50+ characters; JWT signing (HS256) needs 32 bytes.
for _name, _value, _dev_default, _min_length in (
    ("SECRET_KEY", SECRET_KEY, DEV_SECRET_KEY, 50),
    ("JWT_SECRET", JWT_SECRET, DEV_JWT_SECRET, 32),
):
    if not _value or _value == _dev_default or len(_value) < _min_length or len(set(_value)) < 5:
        raise SystemExit(
            f"CafePOS refuses to start: {_name} is missing or a development default "
            f"(set it to a random value of at least {_min_length} characters)"
        )

DEBUG = env.bool("DEBUG", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
