"""Editor admin for research: moderated studies, vocabularies, syntheses and review rules.

The hooks route every publication through ``research.services`` (reviewer recorded,
certainty stored, syntheses recomputed) and keep direct publishing of studies for
Administrators: everyone else publishes through the "Study review" workflow, in which
a second person approves (``research.workflow``). Synthesis texts have their own screen
(menu "Synthesis texts"): editors edit, a different reviewer approves.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from acuevidence.research import admin_views, services, syntheses, workflow
from acuevidence.research.models import (
    Condition,
    ConditionSynthesis,
    OutcomeMeasure,
    Study,
    Therapy,
)
from acuevidence.research.tasks import syntheses_refresh_enqueue


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


class ConditionSynthesisViewSet(SnippetViewSet):
    model = ConditionSynthesis
    icon = "table"
    menu_label = "Syntheses"
    list_display = ["__str__", "latest_version"]
    list_filter = ["comparator_type"]


class ResearchGroup(SnippetViewSetGroup):
    menu_label = "Research"
    menu_icon = "doc-full"
    menu_order = 200
    items = (
        StudyViewSet,
        ConditionSynthesisViewSet,
        ConditionViewSet,
        TherapyViewSet,
        OutcomeMeasureViewSet,
    )


register_snippet(ResearchGroup)


@hooks.register("register_admin_urls")
def research_admin_urls() -> list[Any]:
    return [
        path(
            "research/studies/<int:pk>/drafts/",
            admin_views.study_drafts,
            name="research_study_drafts",
        ),
        path(
            "research/synthesis-texts/",
            admin_views.synthesis_texts_list,
            name="research_synthesis_texts",
        ),
        path(
            "research/synthesis-versions/<int:pk>/texts/",
            admin_views.synthesis_version_texts,
            name="research_synthesis_version_texts",
        ),
        path(
            "research/synthesis-versions/<int:pk>/approve/",
            admin_views.synthesis_version_approve,
            name="research_synthesis_version_approve",
        ),
    ]


class SynthesisTextsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(syntheses.EDIT_PERMISSION))


@hooks.register("register_admin_menu_item")
def synthesis_texts_menu_item() -> MenuItem:
    return SynthesisTextsMenuItem(
        "Synthesis texts",
        reverse("research_synthesis_texts"),
        name="synthesis-texts",
        icon_name="table",
        order=210,
    )


@hooks.register("construct_snippet_action_menu")
def studies_publish_through_review(
    menu_items: list[Any], request: HttpRequest, context: dict[str, Any]
) -> None:
    if context.get("model") is Study and not workflow.can_publish_directly(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish")
def refuse_direct_publish(request: HttpRequest, obj: Any) -> HttpResponse | None:
    if isinstance(obj, Study) and not workflow.can_publish_directly(request.user):
        messages.error(
            request,
            "Studies are published through review: submit it, and a second person approves.",
        )
        return redirect(reverse("wagtailsnippets_research_study:edit", args=[obj.pk]))
    return None


@hooks.register("after_publish")
def after_study_publish(request: HttpRequest, obj: Any) -> None:
    if isinstance(obj, Study):
        services.study_after_publish(study=obj, reviewer=request.user, trigger=f"Published: {obj}")


@hooks.register("after_unpublish")
def after_study_unpublish(request: HttpRequest, obj: Any) -> None:
    if isinstance(obj, Study):
        syntheses_refresh_enqueue(study=obj, trigger=f"Unpublished: {obj}")
