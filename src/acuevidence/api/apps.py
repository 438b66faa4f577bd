from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "acuevidence.api"
    label = "api"
    verbose_name = "Public API"
