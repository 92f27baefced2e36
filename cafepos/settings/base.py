"""Settings shared by every environment; every value comes from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

from cafepos.netguard import parse_networks, parse_ports
from cafepos.observability.logs import default_format, logging_config

from .env import duration, env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

APP_ENV = env.str("APP_ENV", default="development")
# nosec B105 (development defaults, refused by settings/production.py)
DEV_SECRET_KEY = "dev-insecure-cafepos-secret-key-change-me-0123456789"  # noqa: S105 (as above)
DEV_JWT_SECRET = "dev-insecure-cafepos-jwt-secret-change-me-0123456789"  # noqa: S105 (as above)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
JWT_SECRET = env.str("JWT_SECRET", default=DEV_JWT_SECRET)
DEBUG = env.bool("DEBUG", default=APP_ENV == "development")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
ALLOWED_ORIGINS = env.list("ALLOWED_ORIGINS", default=["http://127.0.0.1:8000", "http://localhost:8000"])
CORS_ALLOWED_ORIGINS = ALLOWED_ORIGINS
CSRF_TRUSTED_ORIGINS = ALLOWED_ORIGINS

INSTALLED_APPS = [
    "cafepos.apps.CafePOSAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "corsheaders",
    "simple_history",
    "channels",
    "cafepos.apps.CafePOSConfig",
    "accounts",
    "menu",
    "tables",
    "orders",
    "realtime",
    "delivery",
    "reports",
    "pos",
]

MIDDLEWARE = [
    "cafepos.streaming.AsyncStreamingMiddleware",
    "cafepos.observability.middleware.RequestObservabilityMiddleware",
    "cafepos.observability.middleware.InternalEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cafepos.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cafepos.api.throttling.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.languages.LanguageMiddleware",  # after auth: the back office follows the user's choice
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "cafepos.urls"
WSGI_APPLICATION = "cafepos.wsgi.application"
ASGI_APPLICATION = "cafepos.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "admin:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],  # overrides of the admin's own templates; pages live in their apps
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite by default; PostgreSQL through psycopg 3 and its pool when DATABASE_URL is set.
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASE_POOL_MIN = env.int("DATABASE_POOL_MIN", default=2)
DATABASE_POOL_MAX = env.int("DATABASE_POOL_MAX", default=10)
DATABASE_CONN_MAX_AGE = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASE_QUERY_TIMEOUT = env.int("DATABASE_QUERY_TIMEOUT", default=10000)


def postgres_database(url: str) -> dict:
    """One PostgreSQL alias: pooled (CONN_MAX_AGE 0, safe under ASGI) unless the pool is turned off."""
    config = env.db_url_config(url)
    config["ENGINE"] = "cafepos.postgresql"  # Django's, small bulk inserts as VALUES (cafepos/postgresql)
    options = config.setdefault("OPTIONS", {})
    options["options"] = f"-c statement_timeout={DATABASE_QUERY_TIMEOUT}"
    # Parameters bound by PostgreSQL, not quoted into the SQL in Python, and a statement a connection has run five
    # times prepared (Django turns psycopg's preparing off by default): every order write's statements are parsed
    # and planned once per connection (bench/RESULTS.md). Behind PgBouncer this needs its transaction pooling
    # with max_prepared_statements set, or session pooling.
    options["server_side_binding"] = True
    options["prepare_threshold"] = 5
    if DATABASE_POOL_MAX > 0:
        options["pool"] = {"min_size": DATABASE_POOL_MIN, "max_size": DATABASE_POOL_MAX, "timeout": 10}
        config["CONN_MAX_AGE"] = 0
    else:
        config["CONN_MAX_AGE"] = DATABASE_CONN_MAX_AGE
        config["CONN_HEALTH_CHECKS"] = True
    return config


if DATABASE_URL:
    DATABASES = {"default": postgres_database(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
    # The orders index's INCLUDE columns serve PostgreSQL's index-only scans; SQLite builds the index without them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Reports read from a replica when one is set (reports.routers); test runs point it at the test database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**postgres_database(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["reports.routers.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: one server for cache, channel layer and Celery, separated by key prefixes.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_CACHE_TTL = duration("REDIS_CACHE_TTL", "3600")
REDIS_SESSION_TTL = duration("REDIS_SESSION_TTL", "28800")
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="cafepos")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": REDIS_CACHE_TTL,
            "KEY_PREFIX": f"{REDIS_KEY_PREFIX}:cache",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: an event is one PUBLISH to its location's group, read once by each ASGI process that has
            # a socket in the group and handed to those sockets in memory (the list-based layer took several
            # round trips per group and one blocking pop per message, serially). It stores nothing: a process
            # that misses a message (resubscribing after a Redis restart) learns it from the next event's seq,
            # and its sockets fetch what they missed from the outbox (realtime/consumers.py).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": f"{REDIS_KEY_PREFIX}:channels",
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": REDIS_CACHE_TTL}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The broker hands a task that was never acknowledged (its worker was killed) to another worker after this
# long: keep it above the longest task's hard time limit (REPORT_EXPORT_TIME_LIMIT).
CELERY_VISIBILITY_TIMEOUT = duration("CELERY_VISIBILITY_TIMEOUT", "2h")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "global_keyprefix": f"{REDIS_KEY_PREFIX}:celery:",
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with late acks: a worker holds one unacknowledged task at a time
CELERY_TASK_TIME_LIMIT = 300  # seconds; tasks that need longer set their own (the export job)
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Task routes (long CSV exports on their own queue): see the outbound-requests block at the end.
REPORT_EXPORT_TIME_LIMIT = duration("REPORT_EXPORT_TIME_LIMIT", "30m")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING below (JSON in production)
# Beat: the outbox sweeper (events the after-commit relay missed, e.g. after a crash) and retention purges.
CELERY_BEAT_SCHEDULE = {
    "cafepos-relay-events": {"task": "cafepos.tasks.relay_events", "schedule": 5.0},
    "cafepos-purge-expired": {"task": "cafepos.tasks.purge_expired", "schedule": 3600.0},
    # Webhook deliveries and emails are rows: re-queue the ones due (a Redis restart loses only the queue). The
    # delivery app's tasks keep the names they had in realtime (delivery/tasks.py).
    "realtime-deliveries-sweep": {"task": "realtime.tasks.deliveries_sweep", "schedule": 30.0},
    "reports-daily-summaries": {"task": "reports.tasks.daily_summaries_send", "schedule": 900.0},
    "reports-export-jobs-sweep": {"task": "reports.tasks.export_jobs_sweep", "schedule": 120.0},
    "reports-rollups-refresh": {"task": "reports.tasks.rollups_refresh", "schedule": 60.0},
    "orders-customers-erase": {"task": "orders.tasks.customers_erase_expired", "schedule": 86400.0},
}

# Email: the console by default; SMTP with EMAIL_URL (smtp+tls://user:pass@host:587) or EMAIL_HOST and friends.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url_config(EMAIL_URL))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="") or "CafePOS <noreply@localhost>"
# Webhooks: seconds one POST may take, and how long a failing delivery is retried before it is given up.
WEBHOOK_TIMEOUT = duration("WEBHOOK_TIMEOUT", "10")
WEBHOOK_RETRY_FOR = duration("WEBHOOK_RETRY_FOR", "24h")
# First retry delay in seconds of a webhook or email; it doubles per attempt (capped at an hour), with jitter.
DELIVERY_RETRY_BASE = env.float("DELIVERY_RETRY_BASE", default=10.0)

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = REDIS_SESSION_TTL

# WebSockets (realtime): seconds a client has to authenticate, seconds between keepalive pings (a client that
# misses one is closed), and how many events a reconnecting client may replay before it is told to reload.
REALTIME_AUTH_TIMEOUT = env.float("REALTIME_AUTH_TIMEOUT", default=5.0)
REALTIME_PING_INTERVAL = env.float("REALTIME_PING_INTERVAL", default=20.0)
REALTIME_RESYNC_MAX_EVENTS = env.int("REALTIME_RESYNC_MAX_EVENTS", default=1000)

# Authentication tokens and request limits (used by the API).
JWT_ACCESS_TOKEN_TTL = duration("JWT_ACCESS_TOKEN_TTL", "15m")
JWT_REFRESH_TOKEN_TTL = duration("JWT_REFRESH_TOKEN_TTL", "7d")
# A caller's cached account, locations and roles (accounts.selectors.staff_access) are replaced on every change;
# this bounds how long one could outlive a change whose invalidation could not reach Redis.
STAFF_ACCESS_CACHE_TTL = duration("STAFF_ACCESS_CACHE_TTL", "5m")
RATE_LIMIT_WINDOW = env.int("RATE_LIMIT_WINDOW", default=60000)
RATE_LIMIT_MAX_REQUESTS = env.int("RATE_LIMIT_MAX_REQUESTS", default=100)
SIMPLE_JWT = {
    "SIGNING_KEY": JWT_SECRET,
    "ALGORITHM": "HS256",
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=JWT_ACCESS_TOKEN_TTL),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=JWT_REFRESH_TOKEN_TTL),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "CHECK_REVOKE_TOKEN": True,  # nosec B105 (a flag): a password change ends every token issued before it
    "AUTH_HEADER_TYPES": ("Bearer",),
}
# Wrong API passwords per email and client address before a lockout, and its length.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_SECONDS = duration("LOGIN_LOCKOUT_SECONDS", "15m")

# PIN login: failures per terminal and staff member before a lockout, and its length.
PIN_MAX_FAILURES = env.int("PIN_MAX_FAILURES", default=5)
PIN_LOCKOUT_SECONDS = duration("PIN_LOCKOUT_SECONDS", "5m")
TERMINAL_COOKIE_NAME = "cafepos_terminal"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The shipped catalogs (locale/<code>/LC_MESSAGES): README "Languages" says how to add one.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("nl", "Nederlands"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "cafepos.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "cafepos.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["cafepos.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.JWTAuthentication",
        "accounts.api.authentication.ApiKeyAuthentication",
        "accounts.api.authentication.TerminalAuthentication",
        "accounts.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.access.LocationAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["cafepos.api.throttling.ApiRateThrottle"],
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),  # proxies whose X-Forwarded-For is trusted
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CafePOS API",
    "DESCRIPTION": "Orders, menu, tables, shifts and tickets of a CafePOS location. Money is an integer in minor "
    "units with the currency alongside; rates are decimal strings; times are ISO 8601 with an offset. Every "
    'error is `{"error": {"code", "message", "fields"}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "cafepos.api.links.add_links"],
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    "ENUM_NAME_OVERRIDES": {
        "MenuStationEnum": "menu.models.Station.choices",
        "TicketStationEnum": "orders.models.TicketStation.choices",
        "OrderTypeEnum": "orders.models.OrderType.choices",
        "OrderStatusEnum": "orders.models.OrderStatus.choices",
        "TicketStatusEnum": "orders.models.TicketStatus.choices",
    },
}

# Logs: one line per record, JSON in production, with request id, user and location; secrets redacted.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="") or default_format(APP_ENV)
LOGGING = logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)

# Prometheus at /metrics: a bearer token when set, else loopback and private addresses only.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)  # the Celery worker's own /metrics port

SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default=APP_ENV)
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
SENTRY_PROFILES_SAMPLE_RATE = env.float("SENTRY_PROFILES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from cafepos.observability.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
        profiles_sample_rate=SENTRY_PROFILES_SAMPLE_RATE,
    )

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Outbound requests: webhooks and printers, and one tenant's slow webhook holding no one else's. Targets users type are
# checked against an allow-list of networks and ports per kind (cafepos/netguard.py): `public`, `loopback`,
# `private` or CIDRs; ports as numbers or ranges. Production sends webhooks to public addresses only.
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[]) or (
    ["public"] if APP_ENV == "production" else ["public", "loopback"]
)
WEBHOOK_ALLOWED_PORTS = env.list("WEBHOOK_ALLOWED_PORTS", default=["80", "443", "1024-65535"])
PRINTER_ALLOWED_NETWORKS = env.list("PRINTER_ALLOWED_NETWORKS", default=["private"])
PRINTER_ALLOWED_PORTS = env.list("PRINTER_ALLOWED_PORTS", default=["9100"])
try:
    for _networks, _ports in (
        (WEBHOOK_ALLOWED_NETWORKS, WEBHOOK_ALLOWED_PORTS),
        (PRINTER_ALLOWED_NETWORKS, PRINTER_ALLOWED_PORTS),
    ):
        parse_networks(_networks), parse_ports(_ports)
except ValueError as error:
    raise SystemExit(f"CafePOS configuration error: allowed networks or ports: {error}") from None
# Each kind of task has its queue and its workers: a slow webhook endpoint never holds emails, exports or the
# relay. A worker consuming every queue (tests, a small single host) lists WORKER_QUEUES.
CELERY_TASK_ROUTES = {
    "reports.tasks.export_job_run": {"queue": "exports"},
    # delivery/tasks.py (named as when they lived in realtime):
    "realtime.tasks.webhook_deliver": {"queue": "webhooks"},
    "realtime.tasks.email_send": {"queue": "emails"},
}
WORKER_QUEUES = ("celery", "webhooks", "emails", "exports")
# Per webhook endpoint: deliveries in flight at once (cluster-wide, in the cache), and a circuit breaker: after
# this many attempts in a row without an answer (timeouts, refused connections), its deliveries wait out the
# cool-down (re-scheduled, never dropped) instead of taking a worker each.
WEBHOOK_ENDPOINT_MAX_IN_FLIGHT = env.int("WEBHOOK_ENDPOINT_MAX_IN_FLIGHT", default=2)
WEBHOOK_BREAKER_FAILURES = env.int("WEBHOOK_BREAKER_FAILURES", default=3)
WEBHOOK_BREAKER_COOLDOWN = duration("WEBHOOK_BREAKER_COOLDOWN", "60")

# The outbox sweeper beside a server: a thread started by uvicorn's lifespan, on by default where no Celery
# worker and beat run (no broker: `make serve`), sweeping every OUTBOX_SWEEP_INTERVAL seconds and when kicked.
OUTBOX_SWEEPER_INPROCESS = (
    env.bool("OUTBOX_SWEEPER_INPROCESS")
    if env.str("OUTBOX_SWEEPER_INPROCESS", default="")
    else CELERY_TASK_ALWAYS_EAGER
)
OUTBOX_SWEEP_INTERVAL = env.float("OUTBOX_SWEEP_INTERVAL", default=5.0)

# Sign-in lockout: wrong passwords from one client address across all emails before a lockout
# (password spraying); LOGIN_MAX_FAILURES counts one email from one address. Both last LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_FAILURES_PER_ADDRESS = env.int("LOGIN_MAX_FAILURES_PER_ADDRESS", default=50)

# The card gateway class (orders.payments_gateway.PaymentGateway); tests name a fake one.
PAYMENT_GATEWAY = "orders.payments_gateway.RecordedCardTerminal"

# Socket caps: open sockets per user, per terminal and per client address, cluster-wide
# (realtime/slots.py); the one over is closed with 4029. 0 means no cap.
REALTIME_MAX_SOCKETS_PER_USER = env.int("REALTIME_MAX_SOCKETS_PER_USER", default=100)
REALTIME_MAX_SOCKETS_PER_TERMINAL = env.int("REALTIME_MAX_SOCKETS_PER_TERMINAL", default=20)
REALTIME_MAX_SOCKETS_PER_ADDRESS = env.int("REALTIME_MAX_SOCKETS_PER_ADDRESS", default=1000)
