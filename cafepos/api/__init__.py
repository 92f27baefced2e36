"""Shared REST API plumbing: one error shape, parsers, throttling, pagination, idempotency, schema pieces.

Nothing here imports a domain app at import time; authentication and location access live in `accounts.api`.
"""

API_PREFIX = "/api/"
