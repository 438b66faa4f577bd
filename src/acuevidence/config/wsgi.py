"""WSGI entry point for gunicorn: ``gunicorn acuevidence.config.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acuevidence.config.settings.production")

application = get_wsgi_application()
