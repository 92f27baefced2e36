"""The bench stack's settings: the real ones (APP_ENV decides which) plus two constant views for the ceilings.

Only `make bench` sets DJANGO_SETTINGS_MODULE=bench.settings; no other environment serves these URLs.
"""

from cafepos.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# bench/sockets.py opens thousands of sockets as one user from one address: the caps (README "WebSocket caps")
# would refuse all but the first hundred.
REALTIME_MAX_SOCKETS_PER_USER = 0
REALTIME_MAX_SOCKETS_PER_TERMINAL = 0
REALTIME_MAX_SOCKETS_PER_ADDRESS = 0
