"""Editor-only views added to the Wagtail admin: drafting summaries, synthesis texts.

Thin: permissions are checked here for the screen and again by the services, which hold
the rules (``research.syntheses``: who may edit and who may approve synthesis texts).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from acuevidence.research import review, selectors, services, syntheses
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


def synthesis_texts_list(request: HttpRequest) -> HttpResponse:
    """GET: every synthesis's current version, with the state of its texts."""
    if not request.user.has_perm(syntheses.EDIT_PERMISSION):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "research/admin/synthesis_texts_list.html",
        {
            "versions": selectors.current_synthesis_versions().order_by(
                "synthesis__condition__name", "synthesis__outcome__name", "synthesis_id"
            ),
            "page_title": "Synthesis texts",
        },
    )


def _texts_url(version: SynthesisVersion) -> str:
    return reverse("research_synthesis_version_texts", args=[version.pk])


def synthesis_version_texts(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the texts with origin, reading grade and overclaim flags; POST: save an edit."""
    version = get_object_or_404(
        SynthesisVersion.objects.select_related(
            "synthesis__condition", "synthesis__outcome", "approved_by", "words_edited_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm(syntheses.EDIT_PERMISSION):
        raise PermissionDenied
    form = SynthesisTextsForm(request.POST or None, initial=_texts_of(version))
    if request.method == "POST" and form.is_valid():
        try:
            sent = {k: v for k, v in form.cleaned_data.items() if k in request.POST}
            saved = syntheses.synthesis_version_words_edit(
                version=version, editor=request.user, texts=sent
            )
        except syntheses.SynthesisReviewError as exc:
            messages.error(request, str(exc))
        else:
            if saved.words_edited_by_id == request.user.pk and saved.approved_at is None:
                messages.success(request, "Texts saved; a second person approves them.")
            else:
                messages.info(request, "Nothing changed.")
        return redirect(_texts_url(version))
    latest = version.synthesis.latest_version
    user = request.user
    return TemplateResponse(
        request,
        "research/admin/synthesis_texts.html",
        {
            "version": version,
            "form": form,
            "is_current": latest is not None and latest.pk == version.pk,
            "can_approve": user.has_perm(syntheses.APPROVE_PERMISSION),
            "edited_by_you": version.words_edited_by_id == user.pk,
            "page_title": f"Synthesis texts: {version}",
            **review.synthesis_review_context(version=version),
        },
    )


def synthesis_version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a reviewer approves a synthesis version's texts (not the person who edited them)."""
    version = get_object_or_404(SynthesisVersion, pk=pk)
    if request.method != "POST" or not request.user.has_perm(syntheses.APPROVE_PERMISSION):
        raise PermissionDenied
    try:
        syntheses.synthesis_version_approve(
            version=version, reviewer=request.user, seen_digest=request.POST.get("digest") or None
        )
    except syntheses.SynthesisReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Approved the texts of {version}; the condition page shows them."
        )
    return redirect(_texts_url(version))


def _texts_of(version: SynthesisVersion) -> dict[str, str]:
    return {name: getattr(version, name) for name in syntheses.SYNTHESIS_TEXT_FIELDS}


class SynthesisTextsForm(forms.Form):
    key_finding = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    what_it_means = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    plain_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), required=False)
