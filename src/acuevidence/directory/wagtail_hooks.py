"""Staff admin for the directory: practitioners, licences, verification history, the queue."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from acuevidence.directory import admin_views
from acuevidence.directory.models import (
    Licence,
    ListingReport,
    Practitioner,
    VerificationEvent,
)


class PractitionerViewSet(SnippetViewSet):
    model = Practitioner
    icon = "user"
    list_display = ["name", "credentials", "telehealth", "is_published", "is_demo"]
    list_filter = ["telehealth", "is_published", "is_demo"]
    search_fields = ["name"]


class LicenceViewSet(SnippetViewSet):
    model = Licence
    icon = "doc-empty"
    list_display = ["number", "board", "practitioner", "status", "expires_on"]
    list_filter = ["status", "board"]


class VerificationEventViewSet(SnippetViewSet):
    model = VerificationEvent
    icon = "tick"
    list_display = ["licence", "method", "result", "performed_at"]
    list_filter = ["method", "result"]


class ListingReportViewSet(SnippetViewSet):
    model = ListingReport
    icon = "warning"
    menu_label = "Listing reports"
    list_display = ["practitioner", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]


class DirectoryGroup(SnippetViewSetGroup):
    menu_label = "Directory"
    menu_icon = "group"
    menu_order = 300
    items = (PractitionerViewSet, LicenceViewSet, VerificationEventViewSet, ListingReportViewSet)


register_snippet(DirectoryGroup)


@hooks.register("register_admin_urls")
def register_queue_urls() -> list:
    return [
        path("directory/queue/", admin_views.queue, name="directory_queue"),
        path(
            "directory/queue/<int:pk>/resolve/",
            admin_views.resolve,
            name="directory_queue_resolve",
        ),
        path(
            "directory/queue/<int:pk>/document/",
            admin_views.document,
            name="directory_queue_document",
        ),
    ]


class QueueMenuItem(MenuItem):
    def is_shown(self, request: object) -> bool:
        return request.user.has_perm(admin_views.PERMISSION)  # type: ignore[attr-defined]


@hooks.register("register_admin_menu_item")
def register_queue_menu_item() -> MenuItem:
    return QueueMenuItem(
        "Verification queue",
        reverse("directory_queue"),
        name="directory-queue",
        icon_name="tick",
        order=310,
    )


@hooks.register("register_permissions")
def register_queue_permission():  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="directory", codename="review_verificationrequest"
    )
