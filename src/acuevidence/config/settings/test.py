"""Test settings: the database comes from ``DATABASE_URL`` (SQLite in memory when unset)."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or "sqlite://:memory:")
}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
}
# Tests share one process and one local-memory cache: cached pages, form counters and
# login lockouts would leak from test to test. tests/ops turns each on where it tests it.
ACUEVIDENCE_PAGE_CACHE_SECONDS = 0
ACUEVIDENCE_FORM_RATE_LIMIT = None
AXES_ENABLED = False
