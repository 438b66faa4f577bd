"""Production: every secret from the environment, DEBUG off, HTTPS only, hardened headers.

``DJANGO_SETTINGS_MODULE=acuevidence.config.settings.production DJANGO_SECRET_KEY=...
python manage.py check --deploy`` is clean. The proxy in front terminates TLS and sets
``X-Forwarded-Proto``; see docs/operations.md.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and export it."
    )

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])  # noqa: F405
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True  # noqa: F405

# Persistent connections (health-checked, so a restarted database is reconnected to).
for _database in DATABASES.values():  # noqa: F405
    _database["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405

LOGGING["handlers"]["console"]["formatter"] = os.environ.get(  # noqa: F405
    "ACUEVIDENCE_LOG_FORMAT", "json"
)

# Optional error reporting: set SENTRY_DSN (and install sentry-sdk) to send errors there.
if os.environ.get("SENTRY_DSN"):  # noqa: F405
    try:
        import sentry_sdk
    except ImportError as exc:
        raise ImproperlyConfigured("SENTRY_DSN is set: `pip install sentry-sdk` first.") from exc
    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],  # noqa: F405
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),  # noqa: F405
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),  # noqa: F405
        send_default_pii=False,
    )
