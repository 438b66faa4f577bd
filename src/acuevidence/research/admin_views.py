"""Editor-only views added to the Wagtail admin: drafting summaries, approving syntheses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from acuevidence.research import services, syntheses
from acuevidence.research.models import Study, SynthesisVersion


def study_drafts(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirm; POST: generate draft summaries into a new draft revision."""
    study = get_object_or_404(Study, pk=pk)
    if not request.user.has_perm("research.change_study"):
        raise PermissionDenied
    edit_url = reverse("wagtailsnippets_research_study:edit", args=[study.pk])
    if request.method == "POST":
        notes = services.study_drafts_generate(study=study, user=request.user)
        messages.success(request, "Draft summaries generated and saved as a draft.")
        for note in notes:
            messages.info(request, note)
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "research/admin/drafts_confirm.html",
        {"study": study, "edit_url": edit_url, "page_title": "Generate draft summaries"},
    )


def synthesis_version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: an editor with publishing rights approves a synthesis version's texts."""
    version = get_object_or_404(SynthesisVersion, pk=pk)
    if request.method != "POST" or not request.user.has_perm("research.publish_study"):
        raise PermissionDenied
    syntheses.synthesis_version_approve(version=version, reviewer=request.user)
    messages.success(request, f"Approved {version}.")
    return redirect(
        reverse("wagtailsnippets_research_conditionsynthesis:edit", args=[version.synthesis_id])
    )
