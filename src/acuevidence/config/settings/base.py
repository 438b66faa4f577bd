"""Settings shared by every environment; each value that differs comes from the environment.

``dev`` (``make demo``), ``test`` and ``production`` import this module and
override what they must. ``DATABASE_URL`` selects the database (SQLite under
``var/`` when unset).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = PACKAGE_DIR.parents[1]
VAR_DIR = Path(os.environ.get("ACUEVIDENCE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable."""
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "acuevidence.research",
    "acuevidence.directory",
    "acuevidence.content",
    "acuevidence.api",
    "acuevidence.search",
    "acuevidence.ingest",
    "acuevidence.ops",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",
    "csp",
    "axes",
    "django_tasks_db",
]

# Order matters; see acuevidence/ops/middleware.py and acuevidence/ops/caching.py.
MIDDLEWARE = [
    "acuevidence.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "acuevidence.ops.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "acuevidence.ops.middleware.ContentSecurityPolicyMiddleware",
    "acuevidence.ops.caching.PageCacheMiddleware",
    "acuevidence.ops.middleware.ReplicaPinningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "acuevidence.ops.middleware.PublicFormRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "acuevidence.ops.middleware.DatabaseOutageMiddleware",
    # Last, as django-axes requires: locks out clients after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "acuevidence.config.urls"
WSGI_APPLICATION = "acuevidence.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'acuevidence.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# Read replica (PostgreSQL streaming standby): reads go there, see config/db_routers.py.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["acuevidence.config.db_routers.PrimaryReplicaRouter"]
ACUEVIDENCE_PRIMARY_PATHS = ["/admin/", "/django-admin/", "/for-practitioners/"]
ACUEVIDENCE_REPLICA_PIN_SECONDS = 10
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "acuevidence",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
# Whole pages for anonymous readers (acuevidence/ops/caching.py); 0 turns it off.
ACUEVIDENCE_PAGE_CACHE_SECONDS = int(os.environ.get("ACUEVIDENCE_PAGE_CACHE_SECONDS", "300"))
ACUEVIDENCE_PAGE_CACHE_EXEMPT = [
    "/admin/",
    "/django-admin/",
    "/for-practitioners/",
    "/documents/",
    "/healthz",
    "/readyz",
    "/ops/",
]

# Covering indexes (INCLUDE columns) serve index-only scans on PostgreSQL; SQLite builds
# the same indexes without the extra columns, which is all the demo needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Background jobs: run at once in the demo; ACUEVIDENCE_TASKS=database queues them in the
# database for `manage.py db_worker` (django-tasks-db); see docs/operations.md.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("ACUEVIDENCE_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security (acuevidence/ops): Content-Security-Policy without inline scripts or styles
# (django-csp), brute-force protection on every login (django-axes), form rate limits.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
ACUEVIDENCE_CSP_ADMIN_PREFIXES = ["/admin/", "/django-admin/"]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by acuevidence.ops.middleware.PermissionsPolicyMiddleware.
ACUEVIDENCE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ACUEVIDENCE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "ops/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Every public POST, per client address: (submissions, window in seconds); None: no limit.
ACUEVIDENCE_FORM_RATE_LIMIT = (30, 600)
ACUEVIDENCE_FORM_RATE_LIMIT_EXEMPT = ["/admin/", "/django-admin/", "/api/"]
ACUEVIDENCE_OUTAGE_RETRY_AFTER = 30

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "AcuEvidence <noreply@localhost>")

# Public API (acuevidence.api): anonymous rate limit and how long clients may cache reads.
ACUEVIDENCE_API_ANON_RATE = os.environ.get("ACUEVIDENCE_API_ANON_RATE", "120/min")
ACUEVIDENCE_API_MAX_AGE = 60

WAGTAIL_SITE_NAME = "AcuEvidence"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xml", "ris", "json"]
WAGTAIL_I18N_ENABLED = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Log lines carry the request id; ACUEVIDENCE_LOG_FORMAT=json writes one JSON object a line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "acuevidence.ops.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "acuevidence.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("ACUEVIDENCE_LOG_FORMAT", "plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per background task is noise at INFO; failures still log as errors.
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
