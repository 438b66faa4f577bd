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
from acuevidence.evidence.certainty import RobDomain, RobLevel
from acuevidence.research.models import (
    Arm,
    Comparison,
    Condition,
    GeneratedText,
    OutcomeMeasure,
    Result,
    RiskOfBiasJudgment,
    Study,
    Therapy,
)

#: Keys of the curated data's ``risk_of_bias`` object; "selection_of_result" is RoB 2's
#: "selection of the reported result".
ROB_KEYS = {
    "randomization": RobDomain.RANDOMIZATION,
    "deviations": RobDomain.DEVIATIONS,
    "missing_data": RobDomain.MISSING_DATA,
    "measurement": RobDomain.MEASUREMENT,
    "selection_of_result": RobDomain.REPORTING,
    "reporting": RobDomain.REPORTING,
}
PLAIN_FIELDS = (
    "population_plain",
    "intervention_plain",
    "intervention_short",
    "comparator_plain",
    "design_details",
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
    plain = data.get("plain") or {}
    for name in PLAIN_FIELDS:
        setattr(study, name, plain.get(name) or "")
    study.plain_explanations = "\n".join(plain.get("explanations") or [])
    study.source = source
    study.save()
    study.conditions.set(conditions)
    study.therapies.set(therapies)
    study.arms.all().delete()
    study.results.all().delete()
    study.comparisons.all().delete()
    study.risk_of_bias.all().delete()
    _risk_of_bias_create(study, data.get("risk_of_bias") or {}, key=key)
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
            outcome_plain=comparison.get("outcome_plain") or "",
            source_quote=(comparison.get("printed") or "")[:300],
            **provenance,
        )
    # The latest revision is the current draft: review, drafting and publishing start from it.
    study.save_revision(user=editor, clean=False)
    return study, created


def _risk_of_bias_create(study: Study, judgments: Mapping[str, Any], *, key: str) -> None:
    """Store RoB 2 judgments given as ``{domain: level}`` or ``{domain: {level, support}}``."""
    for order, (name, value) in enumerate(judgments.items()):
        if name not in ROB_KEYS:
            raise ValueError(f"study {key}: risk_of_bias.{name} is not a RoB 2 domain")
        entry = value if isinstance(value, Mapping) else {"level": value}
        level = entry.get("level") or ""
        if level and level not in set(RobLevel):
            raise ValueError(f"study {key}: risk_of_bias.{name} {level!r} is not a RoB 2 level")
        if not level and not entry.get("support"):
            continue
        RiskOfBiasJudgment.objects.create(
            study=study,
            sort_order=order,
            domain=ROB_KEYS[name],
            level=level,
            support=(entry.get("support") or "")[:300],
        )


@transaction.atomic
def study_publish(
    *, study: Study, reviewer: AbstractBaseUser | None, refresh_syntheses: bool = True
) -> Study:
    """Publish the study's latest revision (its current draft) as ``reviewer``.

    Used by the loaders and by Administrators; editors go through the review workflow,
    whose approval ends in :func:`study_after_publish` as well.
    """
    study.refresh_from_db(fields=["latest_revision"])
    revision = study.get_latest_revision() or study.save_revision(user=reviewer, clean=False)
    revision.publish(user=reviewer)
    return study_after_publish(
        study=study,
        reviewer=reviewer,
        trigger=f"Published: {study}",
        refresh_syntheses=refresh_syntheses,
    )


@transaction.atomic
def study_after_publish(
    *,
    study: Study,
    reviewer: AbstractBaseUser | None,
    trigger: str,
    refresh_syntheses: bool = True,
) -> Study:
    """What every publication of a study does, whichever way it was published.

    Records who reviewed it and when, stores the certainty of each comparison, and
    recomputes the condition syntheses the study contributes to (or contributed to): a
    background job (research/tasks.py), run at once under the immediate backend.
    """
    from acuevidence.research.certainty import study_certainty_store
    from acuevidence.research.tasks import syntheses_refresh_enqueue

    Study.objects.filter(pk=study.pk).update(reviewed_by=reviewer, reviewed_at=timezone.now())
    study.refresh_from_db()
    study_certainty_store(study=study)
    if refresh_syntheses:
        syntheses_refresh_enqueue(study=study, trigger=trigger)
    return study


@transaction.atomic
def study_withdraw(*, study: Study, editor: AbstractBaseUser | None, reason: str) -> Study:
    """Mark a study withdrawn (retracted or deleted at source) and publish that change.

    The study stays in the database and in earlier synthesis versions; it leaves the
    public pages and the current syntheses.
    """
    if not reason.strip():
        raise ValueError(f"study {study.slug}: a withdrawal needs a reason")
    draft = study.get_latest_revision_as_object()
    draft.withdrawn = True
    note = f"Withdrawn: {reason.strip()}"
    draft.source_note = f"{draft.source_note}\n{note}".strip()
    draft.save_revision(user=editor, clean=False).publish(user=editor)
    return study_after_publish(study=study, reviewer=editor, trigger=f"{note} ({study})")


def study_drafts_generate(
    *, study: Study, user: AbstractBaseUser | None = None, overwrite: bool = False
) -> list[str]:
    """Draft the summary texts from the study's current draft and save them as a new draft.

    A text that a person wrote or edited (it differs from the last generated one) is kept
    unless ``overwrite``. Every generated text is recorded (:class:`GeneratedText`), so the
    editor and readers can tell automated from edited text. Returns notes for the editor.
    """
    from acuevidence.research.summaries import plain_grade, study_drafts

    draft = study.get_latest_revision_as_object()
    drafts = study_drafts(draft, written_on=timezone.localdate())
    notes = list(drafts.notes)
    for name, text in drafts.texts.items():
        last = GeneratedText.objects.filter(study=study, field=name).first()
        current = getattr(draft, name)
        untouched = not current or (last is not None and current == last.text)
        if name == "highlight":
            text = text[:200]
        GeneratedText.objects.create(
            study=study,
            field=name,
            text=text,
            created_by=user,
            reading_grade=plain_grade(text) if name == "plain_summary" else None,
        )
        if untouched or overwrite:
            setattr(draft, name, text)
        else:
            notes.append(f"Kept the edited {name.replace('_', ' ')}; a new draft is recorded.")
    draft.save_revision(user=user, clean=False, log_action=True)
    return notes
