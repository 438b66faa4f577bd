from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "acuevidence.directory"
    label = "directory"
    verbose_name = "Practitioner directory"
