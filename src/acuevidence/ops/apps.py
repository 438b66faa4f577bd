from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "acuevidence.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from acuevidence.ops import caching

        caching.connect_invalidation()
