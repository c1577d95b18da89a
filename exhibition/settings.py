"""Settings for exhibition, read from the environment.

Production is the default: without ``DEBUG=1`` the app runs hardened (HTTPS redirect,
secure cookies, HSTS) and refuses to start without a ``SECRET_KEY``. ``make demo`` sets
``DEBUG=1`` itself for the embedded demo: SQLite, Celery tasks run eagerly in the web
process, e-mail printed to the console. A real show sets ``SECRET_KEY``, ``DATABASE_URL``,
``REDIS_URL``, ``ALLOWED_HOSTS`` and ``EMAIL_URL``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from exhibition.core import queues as _queues
from exhibition.core.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "django-insecure-demo-only-key-never-use-in-production-0123456789"  # noqa: S105 -- with DEBUG only
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY must be set (production is the default; set DEBUG=1 for the local demo, as `make demo` does)"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The platform's name on pages and e-mails that belong to no show (the front page, sign-in).
SITE_NAME = env.str("SITE_NAME", default="Exhibition")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # its form templates, for the project's FormRenderer
    "django_countries",  # its translations: country names in French
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_htmx",  # request.htmx, and htmx itself (vendored) for the partial updates
    "rules.apps.AutodiscoverRulesConfig",
    "exhibition.core",
    "exhibition.accounts",
    "exhibition.events",
    "exhibition.floorplans",
    "exhibition.exhibitors",
    "exhibition.booking",
    "exhibition.delegations",
    "exhibition.meetings",
    "exhibition.accreditation",
    # Cross-cutting apps, after the domain apps: they hook into them through registries.
    "exhibition.webhooks",
    "exhibition.privacy",
]

MIDDLEWARE = [
    "exhibition.core.health.ProbeMiddleware",  # /healthz, /readyz, /metrics: before host check and HTTPS redirect
    "exhibition.core.logging.RequestIdMiddleware",
    "exhibition.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "exhibition.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check reads the body: refuse what is too large, or holds a NUL byte.
    "exhibition.core.uploads.UploadLimitMiddleware",
    "exhibition.core.middleware.TextInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "exhibition.events.middleware.EventMiddleware",
    "exhibition.core.gate.GateMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "exhibition.urls"
WSGI_APPLICATION = "exhibition.wsgi.application"
ASGI_APPLICATION = "exhibition.asgi.application"

# Forms render with the project's templates: one field template for all (templates/forms/field.html).
FORM_RENDERER = "exhibition.core.rendering.FormRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "exhibition.accounts.context_processors.navigation",
                "exhibition.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # a dead database answers /readyz fast
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
    )
    # The gates' hot path (accreditation/rows.py) binds its parameters server-side, so PostgreSQL
    # keeps its statements prepared per connection after a few uses. Every other query is
    # bound client-side, as Django does by default. 0 turns it off (a pooler that cannot keep
    # prepared statements, such as PgBouncer before 1.21 in transaction mode).
    if env.int("DB_PREPARE_THRESHOLD", default=5):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env.int("DB_PREPARE_THRESHOLD", default=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before the password is tried
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_MAX_AGE = env.int("INVITATION_MAX_AGE", default=60 * 60 * 24 * 14)
EMAIL_CONFIRMATION_MAX_AGE = env.int("EMAIL_CONFIRMATION_MAX_AGE", default=60 * 60 * 24 * 3)

# API tokens (django-rest-knox): several per person, named, only a hash stored, expiring.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 -- a model label, not a secret
# knox's own migrations would create its unused default token table: ours replaces it.
MIGRATION_MODULES = {"knox": None}
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "TOKEN_PREFIX": "exh_",
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# Sign-in lockout (django-axes): the 11th wrong password for one account or from one address
# within the cool-off gets 429 with Retry-After, on every web process (the counts live in
# the shared cache), until the cool-off has passed, even with the right password.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "ratelimit"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "exhibition.accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "exhibition.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "exhibition.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Set to 1 only behind a proxy that overwrites X-Forwarded-For with the client's address.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
FORMAT_MODULE_PATH = ["exhibition.core.locale_formats"]  # dates as exhibition.core.formats writes them
LOCALE_PATHS = [BASE_DIR / "exhibition" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "exhibition" / "static"]
# Uploaded files. Every file is written and read through Django's storage API (never a local path),
# so production may keep them in S3-compatible storage (django-storages, see README). Public media
# (re-encoded logos) belong on a separate host: MEDIA_URL=https://media.example.org/.
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded documents that are served only through permission-checked views (never by URL).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "private": {
        "BACKEND": env.str("PRIVATE_STORAGE_BACKEND", default="exhibition.exhibitors.models.PrivateStorage"),
        "OPTIONS": env.json("PRIVATE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: console by default; EMAIL_URL=smtp+tls://user:pass@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if env.str("EMAIL_FILE_PATH", default=""):  # with EMAIL_URL=filemail://, one file per message
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@exhibition.test")
if env.str("EMAIL_BACKEND", default=""):  # a backend of one's own (the fault tests use a slow one)
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
# A message still "being sent" after this long: its worker died mid-send; the sweep resends it once.
OUTBOX_SENDING_STALE_SECONDS = env.int("OUTBOX_SENDING_STALE_SECONDS", default=300)

# Redis: broker for Celery and shared cache. Without it tasks run eagerly.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: with Redis down or slow, pages compute without the cache (exhibition/core/cache.py).
            "BACKEND": "exhibition.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "RETRY_AFTER": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sign-in lockout and rate limits: shared by every web process (Redis in production).
CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "rl"}
# The embedded demo is one process: its in-memory counts are all there is to share.
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["axes.W001"]

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Short broker timeouts: a Redis that is down or hangs must never block a request.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    "max_retries": 0,
    # Longer than the longest task may run (exhibition/core/queues.py), or Redis would hand a
    # running planner task to a second worker.
    "visibility_timeout": _queues.VISIBILITY_TIMEOUT,
}
# Long runs (planning, meeting rounds) beat every few seconds; a run whose worker stopped
# beating is taken over by its redelivered task after RUN_STALE_SECONDS, and marked failed by
# the sweep after RUN_DEAD_SECONDS.
RUN_HEARTBEAT_SECONDS = env.float("RUN_HEARTBEAT_SECONDS", default=5)
RUN_STALE_SECONDS = env.float("RUN_STALE_SECONDS", default=30)
RUN_DEAD_SECONDS = env.float("RUN_DEAD_SECONDS", default=90)
# Two queues, each with its own workers: short work never waits behind the planners.
CELERY_TASK_DEFAULT_QUEUE = _queues.SHORT
CELERY_TASK_ROUTES = _queues.TASK_ROUTES
CELERY_TASK_ANNOTATIONS = [_queues.QueueTimeLimits()]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # LOGGING below is the one configuration (one line per record)
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "exhibition.core.sweep_outbox", "schedule": 60.0},
    "forget-idempotency-keys": {"task": "exhibition.core.forget_idempotency_keys", "schedule": 24 * 3600.0},
    # Each app adds its periodic tasks in its own module: see exhibition/<app>/schedule.py.
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "exhibition.accounts.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Fails closed: a view that declares no permission is refused (exhibition.core.gate).
    "DEFAULT_PERMISSION_CLASSES": ["exhibition.core.permissions.RulesPermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "exhibition.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "exhibition.core.api.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_PARSER_CLASSES": [
        "exhibition.core.parsers.JSONParser",
        "exhibition.core.parsers.FormParser",
        "exhibition.core.parsers.MultiPartParser",
    ],
    # exhibition.core.throttles.HeavyThrottle (the walking matrix, PDFs, planner runs), per user, counted
    # in the shared cache.
    "DEFAULT_THROTTLE_RATES": {
        "heavy": env.str("THROTTLE_HEAVY", default="120/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "exhibition API",
    "DESCRIPTION": (
        "Trade-show platform: shows, floor plans, exhibitors, booking, delegations, meetings and "
        "accreditation; every action of the pages. Sign in with a token (`POST /api/v1/auth/token/`, "
        "then `Authorization: Token <token>`) or the site's session. What you see and may do follows "
        "your role at the show. Times of day are the show's local time."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation's sections, one per domain (exhibition.core.openapi.AutoSchema tags each
    # operation with its app's), in the order a show is set up and run.
    "TAGS": [
        {
            "name": "people",
            "description": "Tokens, your account, invitations, organisations, members, visitors.",
        },
        {"name": "shows", "description": "Shows, their days, halls and sectors; registering as a visitor."},
        {"name": "floor plans", "description": "Stands, features, prices, routes and the walking matrix."},
        {"name": "exhibitors", "description": "Applications, screening, profiles, products, staff badges."},
        {"name": "booking", "description": "Holds, bookings, moves and swaps, invoices and payments."},
        {"name": "delegations", "description": "Official delegations, their programmes, visits and hosting."},
        {"name": "meetings", "description": "B2B participants, requests, meetings, tables and rounds."},
        {"name": "accreditation", "description": "Badges, keys, zones and rules, scanners, check-in, leads."},
        {"name": "privacy", "description": "Your data: exports and erasure; retention."},
        {"name": "webhooks", "description": "Subscriptions to the show's events and their deliveries."},
    ],
    # The schema is validated by a test (tests/test_project.py) rather than by `check --deploy`.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Choice sets that share a field name ("kind", "status") with another one get their own name.
    # StandKindEnum also covers Application.StandKind (same values: what an exhibitor asks for).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "exhibition.core.schema.drop_format_where_blank_is_allowed",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StandKindEnum": "exhibition.floorplans.models.Stand.Kind",
        "StandStatusEnum": "exhibition.floorplans.models.Stand.Status",
        "DocumentKindEnum": "exhibition.exhibitors.models.ApplicationDocument.Kind",
        "PrivacyJobStatusEnum": "exhibition.privacy.models.Job.Status",
        "PrintJobFormatEnum": "exhibition.accreditation.models.PrintJob.Format",
        "VisitStatusEnum": "exhibition.delegations.models.Visit.Status",  # visits, and per hall
        "VisitRequestStatusEnum": "exhibition.delegations.models.VisitRequest.Status",
        "InvitationRoleEnum": "exhibition.accounts.models.Invitation.Role",  # invitations, accepted too
    },
}

# Production hardening, switched on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features: none, but the camera for our own pages (the gate scanner reads badges' QR codes)
# (set by exhibition.core.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(self), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline
# code or style attributes anywhere; the API docs page relaxes it for itself (exhibition/core/views.py).
_MEDIA_ORIGIN = ["/".join(MEDIA_URL.split("/")[:3])] if MEDIA_URL.startswith(("http://", "https://")) else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the photo thumbnails the gate scanner keeps and shows (images cannot run code)
        "img-src": ["'self'", "data:", *_MEDIA_ORIGIN],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Request bodies: views that take files declare their own limit (exhibition.core.uploads).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=2_621_440)

# One JSON object per line on stderr, with the request id (LOG_FORMAT=text for readable lines).
LOGGING = logging_config(
    level=env.str("LOG_LEVEL", default="INFO"), fmt=env.str("LOG_FORMAT", default="text" if DEBUG else "json")
)

# Probes and metrics (exhibition/core/health.py): /readyz answers 503 past these thresholds.
READYZ_QUEUE_LIMITS = {
    _queues.SHORT: env.int("READYZ_MAX_SHORT_QUEUE", default=1000),
    _queues.PLANNERS: env.int("READYZ_MAX_PLANNERS_QUEUE", default=50),
}
READYZ_OUTBOX_LIMIT = env.int("READYZ_MAX_OUTBOX_BACKLOG", default=200)  # messages pending for longer than:
READYZ_OUTBOX_AGE = env.int("READYZ_OUTBOX_AGE", default=300)  # seconds
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)/?$"]

# Webhooks (exhibition/webhooks): receivers must be https:// on public addresses unless these say otherwise.
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=10.0)
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=DEBUG)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)

# Data lifecycle (exhibition/privacy): no category is shredded earlier than this after the show's last day.
PRIVACY_MIN_DAYS_AFTER_SHOW = env.int("PRIVACY_MIN_DAYS_AFTER_SHOW", default=30)

# Errors to Sentry when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from exhibition.core.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
SPECTACULAR_SETTINGS.update(
    {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
)

# Periodic tasks contributed by the apps (release expired holds, reminders, ...).
for _app in (
    "floorplans",
    "exhibitors",
    "booking",
    "delegations",
    "meetings",
    "accreditation",
    "webhooks",
    "privacy",
):
    try:
        _mod = __import__(f"exhibition.{_app}.beat", fromlist=["BEAT_SCHEDULE"])
    except ModuleNotFoundError:
        continue
    CELERY_BEAT_SCHEDULE.update(_mod.BEAT_SCHEDULE)
