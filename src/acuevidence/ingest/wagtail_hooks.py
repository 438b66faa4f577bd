"""Admin menu entries for imports: the upload screen, batches, quarantine and conflicts."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from acuevidence.ingest import views
from acuevidence.ingest.models import ImportConflict, QuarantinedRecord


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [
        path("imports/upload/", views.upload, name="ingest_upload"),
        path("imports/<int:batch_id>/", views.report, name="ingest_report"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return MenuItem("Import studies", reverse("ingest_upload"), icon_name="upload", order=210)


class QuarantineViewSet(SnippetViewSet):
    model = QuarantinedRecord
    icon = "warning"
    menu_label = "Import errors"
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["file", "record_number", "record_id", "field", "message", "resolved"]
    list_filter = ["resolved"]


class ConflictViewSet(SnippetViewSet):
    model = ImportConflict
    icon = "warning"
    menu_label = "Import conflicts"
    add_to_admin_menu = True
    menu_order = 230
    list_display = ["study", "field", "current_value", "incoming_value", "resolved"]
    list_filter = ["resolved"]


register_snippet(QuarantineViewSet)
register_snippet(ConflictViewSet)
