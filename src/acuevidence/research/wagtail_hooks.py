"""Editor admin for research: studies are moderated snippets; vocabularies are plain snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from acuevidence.research.models import Condition, OutcomeMeasure, Study, Therapy


class StudyViewSet(SnippetViewSet):
    model = Study
    icon = "doc-full-inverse"
    menu_label = "Studies"
    list_display = ["title", "year", "design", "status", "live", "updated_at"]
    list_filter = ["design", "status", "live", "source"]
    search_fields = ["title", "pmid", "doi"]


class ConditionViewSet(SnippetViewSet):
    model = Condition
    icon = "tag"
    list_display = ["name", "parent", "mesh_id"]
    search_fields = ["name"]


class TherapyViewSet(SnippetViewSet):
    model = Therapy
    icon = "tag"
    list_display = ["name", "is_control"]


class OutcomeMeasureViewSet(SnippetViewSet):
    model = OutcomeMeasure
    icon = "tag"
    list_display = ["name", "abbreviation", "scale_min", "scale_max", "higher_is_better"]


class ResearchGroup(SnippetViewSetGroup):
    menu_label = "Research"
    menu_icon = "doc-full"
    menu_order = 200
    items = (StudyViewSet, ConditionViewSet, TherapyViewSet, OutcomeMeasureViewSet)


register_snippet(ResearchGroup)
