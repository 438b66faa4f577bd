"""Staff admin for the directory: practitioners, licences and their verification history."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from acuevidence.directory.models import Licence, Practitioner, VerificationEvent


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


class DirectoryGroup(SnippetViewSetGroup):
    menu_label = "Directory"
    menu_icon = "group"
    menu_order = 300
    items = (PractitionerViewSet, LicenceViewSet, VerificationEventViewSet)


register_snippet(DirectoryGroup)
