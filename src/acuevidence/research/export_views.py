"""Download views for ``research.exports``: thin wrappers that pick the data and the format."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from acuevidence.api import serialize
from acuevidence.research import exports
from acuevidence.research.models import Condition, Study
from acuevidence.research.selectors import published_study


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def condition_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """``csv`` (``acuevidence meta`` input; ``?outcome=`` picks the outcome), ``ris`` or ``json``."""
    condition = get_object_or_404(Condition, slug=slug)
    studies = exports.condition_studies(condition)
    if fmt == "csv":
        datasets = exports.meta_datasets(studies)
        wanted = request.GET.get("outcome")
        chosen = next((d for d in datasets if not wanted or d.outcome == wanted), None)
        if chosen is None:
            raise Http404("No poolable data for this condition and outcome.")
        return _download(exports.meta_csv(chosen), "text/csv", f"{slug}-{chosen.outcome}.csv")
    if fmt == "ris":
        pairs = [(s, request.build_absolute_uri(s.get_absolute_url())) for s in studies]
        return _download(exports.ris(pairs), "application/x-research-info-systems", f"{slug}.ris")
    if fmt == "json":
        payload = {
            "condition": serialize.condition(condition),
            "studies": [serialize.study_detail(s) for s in studies],
        }
        body = json.dumps(payload, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        return _download(body, "application/json", f"{slug}.json")
    raise Http404("Unknown export format.")


def study_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A published study's citation as ``ris`` or ``bib`` (BibTeX)."""
    try:
        study = published_study(slug)
    except Study.DoesNotExist as exc:
        raise Http404("No published study here.") from exc
    url = request.build_absolute_uri(study.get_absolute_url())
    if fmt == "ris":
        return _download(
            exports.ris([(study, url)]), "application/x-research-info-systems", f"{slug}.ris"
        )
    if fmt == "bib":
        return _download(exports.bibtex(study, url), "application/x-bibtex", f"{slug}.bib")
    raise Http404("Unknown export format.")
