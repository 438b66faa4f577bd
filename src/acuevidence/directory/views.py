"""Public directory pages: thin views over ``directory.selectors``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from acuevidence.directory import selectors
from acuevidence.research.models import Condition, Therapy


def practitioner_list(request: HttpRequest) -> HttpResponse:
    condition = Condition.objects.filter(slug=request.GET.get("condition") or "").first()
    therapy = Therapy.objects.filter(slug=request.GET.get("therapy") or "").first()
    practitioners = selectors.practitioner_list(condition=condition, therapy=therapy)
    page = Paginator(practitioners, 20).get_page(request.GET.get("page"))
    entries = [(p, selectors.verified_licences(p)) for p in page.object_list]
    return render(
        request,
        "directory/practitioner_list.html",
        {
            "page": page,
            "entries": entries,
            "condition": condition,
            "therapy": therapy,
            "conditions": Condition.objects.filter(practitioners__isnull=False).distinct(),
            "therapies": Therapy.objects.filter(practitioners__isnull=False).distinct(),
        },
    )


def practitioner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = get_object_or_404(selectors.public_practitioners(), slug=slug)
    return render(
        request,
        "directory/practitioner_detail.html",
        {
            "practitioner": practitioner,
            "verified_licences": selectors.verified_licences(practitioner),
        },
    )
