"""schema.org JSON-LD for public pages, as plain dicts.

Builders take model instances and absolute URLs and return JSON-ready dicts;
the ``public_meta`` template tags render them into ``<script
type="application/ld+json">`` through ``includes/json_ld.html``, which any
template (e.g. the practitioner profile) can include with its own data.

Types used (https://schema.org): ``MedicalScholarlyArticle`` for a study's
published report, ``MedicalTrial`` for the trial itself (the page's main entity
when there is no publication yet), ``MedicalWebPage`` for articles and
condition hubs (with ``lastReviewed`` and ``reviewedBy``), ``MedicalCondition``,
``WebSite`` with a ``SearchAction`` for the home page and ``CollectionPage`` /
``SearchResultsPage`` / ``WebPage`` for listings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from acuevidence.research.models import Condition, Study

CONTEXT = "https://schema.org"
SITE_NAME = "AcuEvidence"

# MedicalStudyStatus members (https://schema.org/MedicalStudyStatus).
_STUDY_STATUS = {
    "ongoing": "https://schema.org/ActiveNotRecruiting",
    "completed": "https://schema.org/Completed",
    "terminated": "https://schema.org/Terminated",
}
# MedicalTrialDesign members (https://schema.org/MedicalTrialDesign).
_TRIAL_DESIGN = {"rct": "https://schema.org/RandomizedTrial", "crossover": None, "cluster": None}
_PUBLICATION_TYPE = {
    "rct": "Randomized Controlled Trial",
    "crossover": "Randomized Controlled Trial",
    "cluster": "Randomized Controlled Trial",
    "systematic_review": "Systematic Review",
    "observational": "Observational Study",
}


def _person(name: str) -> dict[str, str]:
    return {"@type": "Person", "name": name}


def _date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values so every property present says something."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def condition_ld(condition: Condition, *, url: str | None = None) -> dict[str, Any]:
    """A ``MedicalCondition`` with its other names and its MeSH code."""
    code = None
    if condition.mesh_id:
        code = {"@type": "MedicalCode", "codeValue": condition.mesh_id, "codingSystem": "MeSH"}
    return _compact(
        {
            "@type": "MedicalCondition",
            "name": condition.name,
            "alternateName": list(condition.synonyms),
            "code": code,
            "description": condition.summary,
            "url": url,
        }
    )


def _identifiers(study: Study) -> list[dict[str, str]]:
    ids = [("PMID", study.pmid), ("DOI", study.doi), ("PMCID", study.pmcid)]
    ids += [("Trial registry", registry_id) for registry_id in study.registry_ids]
    return [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in ids
        if value
    ]


def trial_ld(study: Study, *, url: str) -> dict[str, Any]:
    """The trial as a ``MedicalTrial``: conditions, status, design and registry ids."""
    return _compact(
        {
            "@type": "MedicalTrial",
            "name": study.title,
            "url": url,
            "identifier": [
                {"@type": "PropertyValue", "propertyID": "Trial registry", "value": r}
                for r in study.registry_ids
            ],
            "healthCondition": [condition_ld(c) for c in study.conditions.all()],
            "status": _STUDY_STATUS.get(study.status),
            "trialDesign": _TRIAL_DESIGN.get(study.design),
            "description": study.key_finding,
        }
    )


def has_publication(study: Study) -> bool:
    return bool(study.journal or study.pmid or study.doi)


def study_ld(study: Study, *, url: str) -> dict[str, Any]:
    """A published report as ``MedicalScholarlyArticle`` about its ``MedicalTrial``;
    a trial without a publication (registered, ongoing) as the ``MedicalTrial`` alone."""
    trial = trial_ld(study, url=url)
    if not has_publication(study):
        return {"@context": CONTEXT, **trial, "identifier": _identifiers(study) or None}
    links = []
    if study.pmid:
        links.append(f"https://pubmed.ncbi.nlm.nih.gov/{study.pmid}/")
    if study.doi:
        links.append(f"https://doi.org/{study.doi}")
    article = _compact(
        {
            "@type": "MedicalScholarlyArticle",
            "headline": study.title[:110],
            "name": study.title,
            "url": url,
            "author": [_person(a) for a in study.authors if a.strip(". ").lower() != "et al"],
            "datePublished": str(study.year) if study.year else None,
            "isPartOf": {"@type": "Periodical", "name": study.journal} if study.journal else None,
            "identifier": _identifiers(study),
            "sameAs": links,
            "abstract": study.abstract,
            "description": study.key_finding or study.highlight,
            "publicationType": _PUBLICATION_TYPE.get(study.design),
            "about": [trial, *(condition_ld(c) for c in study.conditions.all())],
            "dateModified": _date(study.last_published_at),
        }
    )
    return {"@context": CONTEXT, **article}


def medical_web_page_ld(
    *,
    name: str,
    url: str,
    description: str = "",
    last_reviewed: dt.date | dt.datetime | None = None,
    reviewed_by: str = "",
    author: str = "",
    about: list[dict[str, Any]] | None = None,
    date_modified: dt.date | dt.datetime | None = None,
) -> dict[str, Any]:
    """A ``MedicalWebPage``: who reviewed it and when, and what condition it is about."""
    return {
        "@context": CONTEXT,
        **_compact(
            {
                "@type": "MedicalWebPage",
                "name": name,
                "url": url,
                "description": description,
                "lastReviewed": _date(last_reviewed),
                "reviewedBy": _person(reviewed_by) if reviewed_by else None,
                "author": _person(author) if author else None,
                "about": about or [],
                "dateModified": _date(date_modified),
                "isPartOf": {"@type": "WebSite", "name": SITE_NAME},
            }
        ),
    }


def website_ld(*, url: str, search_url: str) -> dict[str, Any]:
    """The site, with the search box search engines may offer (``SearchAction``)."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": SITE_NAME,
        "url": url,
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{search_url}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }


def web_page_ld(*, name: str, url: str, kind: str = "WebPage") -> dict[str, Any]:
    """A plain page: ``WebPage``, ``CollectionPage`` (listings) or ``SearchResultsPage``."""
    return {
        "@context": CONTEXT,
        "@type": kind,
        "name": name,
        "url": url,
        "isPartOf": {"@type": "WebSite", "name": SITE_NAME},
    }


def condition_hub_ld(
    *, condition: Condition, studies: list[Study], name: str, url: str, date_modified: Any
) -> dict[str, Any]:
    """A condition hub: a ``MedicalWebPage`` about the condition, reviewed when its
    most recently reviewed study was, by that study's reviewer."""
    reviewed = [s for s in studies if s.reviewed_at is not None]
    latest = max(reviewed, key=lambda s: s.reviewed_at, default=None)
    reviewer = ""
    if latest is not None and latest.reviewed_by is not None:
        reviewer = latest.reviewed_by.get_full_name() or latest.reviewed_by.get_username()
    return medical_web_page_ld(
        name=name,
        url=url,
        description=condition.summary,
        last_reviewed=latest.reviewed_at if latest else None,
        reviewed_by=reviewer,
        about=[condition_ld(condition)],
        date_modified=date_modified,
    )
