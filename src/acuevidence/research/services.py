"""Writes to the research data: vocabularies, studies and their publication.

Functions here are the only place that creates or changes studies, so that the
demo loader, the importers, the admin and the API share one set of rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from acuevidence.evidence import vocabulary
from acuevidence.research.models import (
    Arm,
    Comparison,
    Condition,
    OutcomeMeasure,
    Result,
    Study,
    Therapy,
)


@transaction.atomic
def vocabulary_sync() -> dict[str, int]:
    """Create or update conditions, therapies and outcome measures from ``evidence.vocabulary``.

    Editors may add terms in the admin; this only touches terms whose slug the
    shipped vocabulary defines, and never deletes anything.
    """
    for term in vocabulary.THERAPIES:
        Therapy.objects.update_or_create(
            slug=term.slug,
            defaults={
                "name": term.name,
                "synonyms": list(term.synonyms),
                "is_control": term.is_control,
            },
        )
    for term in vocabulary.OUTCOMES:
        OutcomeMeasure.objects.update_or_create(
            slug=term.slug,
            defaults={
                "name": term.name,
                "abbreviation": term.abbreviation,
                "synonyms": list(term.synonyms),
                "scale_min": term.scale_min,
                "scale_max": term.scale_max,
                "higher_is_better": term.higher_is_better,
                "minimal_important_difference": term.mid,
                "integer_valued": term.integer_valued,
            },
        )
    pending = list(vocabulary.CONDITIONS)
    while pending:
        deferred = []
        for term in pending:
            parent = None
            if term.parent:
                parent = Condition.objects.filter(slug=term.parent).first()
                if parent is None:
                    deferred.append(term)
                    continue
            Condition.objects.update_or_create(
                slug=term.slug,
                defaults={
                    "name": term.name,
                    "parent": parent,
                    "synonyms": list(term.synonyms),
                    "mesh_id": term.mesh_id or "",
                },
            )
        if len(deferred) == len(pending):
            missing = ", ".join(f"{t.slug} (parent {t.parent})" for t in deferred)
            raise ValueError(f"vocabulary conditions with unknown parents: {missing}")
        pending = deferred
    return {
        "conditions": Condition.objects.count(),
        "therapies": Therapy.objects.count(),
        "outcomes": OutcomeMeasure.objects.count(),
    }


def _by_slug(model: type, slugs: Sequence[str], *, field: str) -> list[Any]:
    found = {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ValueError(
            f"{field}: unknown {model._meta.verbose_name} slug(s) {', '.join(missing)}"
        )
    return [found[slug] for slug in slugs]


def _optional_by_slug(model: type, slug: str | None, *, field: str) -> Any:
    return _by_slug(model, [slug], field=field)[0] if slug else None


@transaction.atomic
def study_save_curated(
    *, data: Mapping[str, Any], source: str, editor: AbstractBaseUser | None = None
) -> tuple[Study, bool]:
    """Create or replace a study from curated data (the demo corpus, a CSV template).

    ``data`` uses the shape of ``research/demo/studies.json``. The study is found
    by its ``key`` (its slug); on a second load nothing is duplicated: arms,
    results and comparisons are replaced by the given ones. Returns the study and
    whether it was created. Errors name the study key and the field.
    """
    key = data["key"]
    try:
        conditions = _by_slug(Condition, data.get("conditions", []), field=f"{key}.conditions")
        therapies = _by_slug(Therapy, data.get("therapies", []), field=f"{key}.therapies")
    except ValueError as exc:
        raise ValueError(f"study {key}: {exc}") from exc
    study = Study.objects.filter(slug=key).first()
    created = study is None
    if study is None:
        # New studies are drafts until an editor publishes them (DraftStateMixin defaults to live).
        study = Study(slug=key, live=False, has_unpublished_changes=True)
    for name in ("title", "short_title", "journal", "treatment_period", "follow_up", "source_note"):
        setattr(study, name, data.get(name) or "")
    study.authors = list(data.get("authors") or [])
    study.year = data.get("year")
    study.pmid = data.get("pmid") or ""
    study.doi = data.get("doi") or ""
    study.pmcid = data.get("pmcid") or ""
    study.registry_ids = list(data.get("registry_ids") or [])
    study.design = data.get("design") or "other"
    study.status = data.get("status") or "unknown"
    study.sample_size = data.get("sample_size")
    study.highlight = data.get("highlight") or ""
    study.source = source
    study.save()
    study.conditions.set(conditions)
    study.therapies.set(therapies)
    study.arms.all().delete()
    study.results.all().delete()
    study.comparisons.all().delete()
    provenance = {
        "source_label": data.get("source_label") or "published report",
        "entered_by": editor,
    }
    arm_labels = set()
    for order, arm in enumerate(data.get("arms", [])):
        arm_labels.add(arm["label"])
        Arm.objects.create(
            study=study,
            sort_order=order,
            label=arm["label"],
            n=arm.get("n"),
            therapy=_optional_by_slug(Therapy, arm.get("therapy"), field=f"{key}.arms.therapy"),
            description=arm.get("description") or "",
            **provenance,
        )
    for order, result in enumerate(data.get("results", [])):
        if result["arm"] not in arm_labels:
            raise ValueError(f"study {key}: results[{order}].arm {result['arm']!r} is not an arm")
        Result.objects.create(
            study=study,
            sort_order=order,
            arm_label=result["arm"],
            outcome=_optional_by_slug(
                OutcomeMeasure, result.get("outcome"), field=f"{key}.results[{order}].outcome"
            ),
            outcome_label=result["outcome_label"],
            timepoint=result.get("timepoint") or "",
            kind=result["kind"],
            source_quote=(result.get("printed") or "")[:300],
            **{
                f: result.get(f)
                for f in ("n", "mean", "sd", "median", "q1", "q3", "events", "total", "percent")
            },
            **provenance,
        )
    for order, comparison in enumerate(data.get("comparisons", [])):
        ci = comparison.get("ci") or [None, None]
        Comparison.objects.create(
            study=study,
            sort_order=order,
            outcome=_optional_by_slug(
                OutcomeMeasure,
                comparison.get("outcome"),
                field=f"{key}.comparisons[{order}].outcome",
            ),
            outcome_label=comparison["outcome_label"],
            is_primary=comparison.get("is_primary"),
            timepoint=comparison.get("timepoint") or "",
            intervention_arm=comparison.get("intervention_arm") or "",
            control_arm=comparison.get("control_arm") or "",
            measure=comparison.get("measure") or "",
            measure_note=comparison.get("measure_note") or "",
            estimate=comparison.get("estimate"),
            ci_lower=ci[0],
            ci_upper=ci[1],
            p_value=comparison.get("p"),
            p_relation=comparison.get("p_relation") or "",
            source_quote=(comparison.get("printed") or "")[:300],
            **provenance,
        )
    return study, created


@transaction.atomic
def study_publish(*, study: Study, reviewer: AbstractBaseUser | None) -> Study:
    """Publish the study's latest content and record who reviewed it and when."""
    study.reviewed_by = reviewer
    study.reviewed_at = timezone.now()
    study.save(update_fields=["reviewed_by", "reviewed_at"])
    revision = study.save_revision(user=reviewer, log_action=True)
    revision.publish(user=reviewer)
    study.refresh_from_db()
    return study
