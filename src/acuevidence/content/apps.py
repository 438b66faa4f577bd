from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "acuevidence.content"
    label = "content"
    verbose_name = "Content"
