from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "acuevidence.research"
    label = "research"
    verbose_name = "Research"
