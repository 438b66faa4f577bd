from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "acuevidence.directory"
    label = "directory"
    verbose_name = "Practitioner directory"

    def ready(self) -> None:
        from acuevidence.directory import listing

        listing.connect_listing_index()
