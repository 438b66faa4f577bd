from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "acuevidence.ingest"
    label = "ingest"
    verbose_name = "Imports"
