"""Public research pages: thin views over ``research.selectors``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from acuevidence.research import selectors
from acuevidence.research.models import Condition, Study


def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        study = selectors.published_study(slug)
    except Study.DoesNotExist as exc:
        raise Http404("No published study here.") from exc
    return render(request, "research/study_detail.html", selectors.study_page_context(study=study))


def study_list(request: HttpRequest) -> HttpResponse:
    condition = None
    if slug := request.GET.get("condition"):
        condition = get_object_or_404(Condition, slug=slug)
    page = Paginator(selectors.study_list(condition=condition), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "research/study_list.html", {"page": page, "condition": condition})


def highlight_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "research/highlight_list.html", {"highlights": selectors.highlight_list(limit=50)}
    )
