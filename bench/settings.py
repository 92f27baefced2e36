"""The bench stack's settings: the real ones (APP_ENV decides which) plus two constant views for the ceilings.

Only `make bench` sets DJANGO_SETTINGS_MODULE=bench.settings; no other environment serves these URLs.
"""

from cafepos.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
