from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "acuevidence.search"
    label = "site_search"
    verbose_name = "Site search"
