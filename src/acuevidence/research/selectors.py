"""Reads of published research: what the public pages, feeds and API may show.

Every public query goes through :func:`published_studies`, so "published" has
one definition: live (approved by an editor) and not withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse

from acuevidence.evidence.records import Status
from acuevidence.research.models import (
    Arm,
    Comparison,
    Condition,
    ConditionSynthesis,
    GeneratedText,
    Result,
    Study,
    SynthesisVersion,
)


def published_studies() -> QuerySet[Study]:
    """Studies an editor has published and that are not withdrawn."""
    return Study.objects.filter(live=True, withdrawn=False)


def condition_with_descendants(condition: Condition) -> list[Condition]:
    """The condition and every condition below it (Stroke includes post-stroke hemiplegia)."""
    found = [condition]
    frontier = [condition.pk]
    while frontier:
        children = list(Condition.objects.filter(parent_id__in=frontier))
        children = [c for c in children if c not in found]
        found.extend(children)
        frontier = [c.pk for c in children]
    return found


def study_list(*, condition: Condition | None = None, status: str | None = None) -> QuerySet[Study]:
    """Published studies, newest first, optionally for one condition (with its subconditions)."""
    studies = published_studies().prefetch_related("conditions")
    if condition is not None:
        studies = studies.filter(conditions__in=condition_with_descendants(condition)).distinct()
    if status is not None:
        studies = studies.filter(status=status)
    return studies.order_by("-year", "title")


def highlight_list(*, limit: int | None = None, condition: Condition | None = None) -> list[Study]:
    """Published studies that have a highlight line, most recently published first."""
    studies = published_studies().exclude(highlight="")
    if condition is not None:
        studies = studies.filter(conditions__in=condition_with_descendants(condition)).distinct()
    studies = studies.order_by("-last_published_at", "-year")
    return list(studies[:limit] if limit else studies)


def condition_hub_context(*, condition: Condition) -> dict[str, Any]:
    """What a condition hub shows: completed studies, ongoing trials, the directory link."""
    studies = list(study_list(condition=condition))
    return {
        "condition": condition,
        "syntheses": condition_syntheses(condition=condition),
        "completed_studies": [s for s in studies if s.status != Status.ONGOING],
        "ongoing_studies": [s for s in studies if s.status == Status.ONGOING],
        "practitioner_search_url": practitioner_search_url(conditions=[condition]),
    }


def practitioner_search_url(*, conditions: Iterable[Condition]) -> str:
    """The directory listing pre-filtered by the first condition given."""
    first = next(iter(conditions), None)
    url = reverse("practitioner-list")
    return f"{url}?{urlencode({'condition': first.slug})}" if first else url


@dataclass(frozen=True)
class ResultRow:
    """One line of a study's results table: an outcome at a time point, arm by arm."""

    outcome: str
    timepoint: str
    arm_results: list[Result]
    comparisons: list[Comparison] = field(default_factory=list)


def results_table(study: Study) -> list[ResultRow]:
    """Group per-arm results and comparisons by outcome and time point, in entry order."""
    rows: dict[tuple[str, str], ResultRow] = {}
    for result in study.results.all():
        key = (result.outcome_label, result.timepoint)
        rows.setdefault(key, ResultRow(result.outcome_label, result.timepoint, []))
        rows[key].arm_results.append(result)
    for comparison in study.comparisons.all():
        key = (comparison.outcome_label, comparison.timepoint)
        rows.setdefault(key, ResultRow(comparison.outcome_label, comparison.timepoint, []))
        rows[key].comparisons.append(comparison)
    return list(rows.values())


def published_study(slug: str) -> Study:
    """A published study with everything its page shows, or ``Study.DoesNotExist``."""
    return (
        published_studies()
        .prefetch_related(
            "conditions",
            "therapies",
            Prefetch("arms", queryset=Arm.objects.select_related("therapy")),
            Prefetch("results", queryset=Result.objects.select_related("outcome")),
            Prefetch("comparisons", queryset=Comparison.objects.select_related("outcome")),
        )
        .get(slug=slug)
    )


def study_page_context(*, study: Study) -> dict[str, Any]:
    """Everything the study page renders, computed once here rather than in the template."""
    conditions = list(study.conditions.all())
    related = []
    if conditions:
        related = [s for s in highlight_list(limit=4, condition=conditions[0]) if s.pk != study.pk]
    return {
        "study": study,
        "conditions": conditions,
        "arms": list(study.arms.all()),
        "results_rows": results_table(study),
        "related_highlights": related[:3],
        "practitioner_search_url": practitioner_search_url(conditions=conditions),
        "registry_links": registry_links(study),
        "rated_comparisons": [c for c in study.comparisons.all() if c.certainty],
        "check_findings": _check_findings(study),
        "syntheses": study_syntheses(study=study),
        "automated_texts": automated_texts(study),
    }


def _check_findings(study: Study) -> list[tuple[Comparison, list[Any]]]:
    from acuevidence.research.summaries import study_findings

    return [(c, found) for c, found in study_findings(study) if found]


def automated_texts(study: Study) -> set[str]:
    """Names of the study's texts that are automated drafts exactly as generated."""
    if not study.pk:
        return set()
    generated = GeneratedText.objects.filter(study_id=study.pk)
    return {
        name
        for name in GeneratedText.FIELDS
        if getattr(study, name) and generated.filter(field=name, text=getattr(study, name)).exists()
    }


def current_synthesis_versions() -> QuerySet[SynthesisVersion]:
    """The latest version of every synthesis, with its synthesis, condition and outcome.

    One query whatever the number of syntheses (the latest number is a subquery).
    """
    newest = (
        SynthesisVersion.objects.filter(synthesis=OuterRef("synthesis"))
        .order_by("-number")
        .values("number")[:1]
    )
    return SynthesisVersion.objects.filter(number=Subquery(newest)).select_related(
        "synthesis__condition", "synthesis__outcome", "approved_by", "words_edited_by"
    )


def latest_versions(syntheses: Iterable[ConditionSynthesis]) -> list[SynthesisVersion]:
    """The latest version of each synthesis, with the synthesis and its words loaded."""
    ids = [synthesis.pk for synthesis in syntheses]
    return list(current_synthesis_versions().filter(synthesis_id__in=ids).order_by("synthesis_id"))


def condition_syntheses(*, condition: Condition) -> list[SynthesisVersion]:
    """Current syntheses of the condition and its subconditions, pooled ones first.

    Each version comes with its synthesis's earlier versions (``synthesis.versions.all``).
    """
    versions = (
        current_synthesis_versions()
        .filter(synthesis__condition__in=condition_with_descendants(condition))
        .prefetch_related("synthesis__versions")
    )
    return sorted(versions, key=lambda v: (not v.pooled, -v.k, v.synthesis_id))


def study_syntheses(*, study: Study) -> list[SynthesisVersion]:
    """Current pooled syntheses that include ``study``."""
    if not study.pk:
        return []
    syntheses = ConditionSynthesis.objects.filter(condition__in=study.conditions.all())
    return [
        v
        for v in latest_versions(syntheses.select_related("condition", "outcome"))
        if v.pooled and any(s["slug"] == study.slug for s in v.studies)
    ]


def registry_links(study: Study) -> list[tuple[str, str]]:
    """(label, url) for each identifier that has a public landing page."""
    links: list[tuple[str, str]] = []
    if study.pmid:
        links.append((f"PubMed {study.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{study.pmid}/"))
    if study.pmcid:
        links.append((study.pmcid, f"https://www.ncbi.nlm.nih.gov/pmc/articles/{study.pmcid}/"))
    if study.doi:
        links.append((f"doi:{study.doi}", f"https://doi.org/{study.doi}"))
    for registry_id in study.registry_ids:
        if registry_id.upper().startswith("NCT"):
            links.append((registry_id, f"https://clinicaltrials.gov/study/{registry_id}"))
        elif registry_id.upper().startswith("CHICTR"):
            links.append(
                (registry_id, f"https://www.chictr.org.cn/searchprojEN.html?regno={registry_id}")
            )
        elif registry_id.upper().startswith("ISRCTN"):
            links.append((registry_id, f"https://www.isrctn.com/{registry_id}"))
        else:
            links.append((registry_id, ""))
    return links
