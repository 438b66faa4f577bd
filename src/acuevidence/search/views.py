"""The site search page: one box, results grouped by kind, facets as links (no JavaScript)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from acuevidence.search.selectors import FACETS, site_search

FACET_TITLES = {
    "condition": "Condition",
    "therapy": "Therapy",
    "design": "Design",
    "year": "Year",
    "certainty": "Certainty of evidence",
}


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    selected = {name: request.GET.get(name, "") for name in FACETS}
    results = site_search(query, selected=selected)
    base = {"q": results.query, **{k: v for k, v in selected.items() if v}}
    facets = [
        (
            FACET_TITLES[name],
            [
                (
                    value,
                    "?" + urlencode({k: v for k, v in {**base, name: value.value}.items()})
                    if not value.selected
                    else "?" + urlencode({k: v for k, v in base.items() if k != name}),
                )
                for value in values
            ],
        )
        for name, values in results.facets.items()
        if values
    ]
    return render(
        request,
        "search/results.html",
        {"results": results, "facets": facets, "filtered": any(selected.values())},
    )
