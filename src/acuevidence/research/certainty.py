"""Certainty of each reported comparison of a study, from what editors stored.

The rating itself is :func:`acuevidence.evidence.certainty.rate_certainty`; this module
only gathers its inputs from the database (the comparison, the arms' sizes, the control
arm's risk or SD, the editor's RoB 2 judgments, flags and overrides) and stores the
result on the published comparison rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from acuevidence.evidence.certainty import (
    MEASURES,
    CertaintyRating,
    Domain,
    DomainOverride,
    EffectEvidence,
    RobDomain,
    RobJudgment,
    RobLevel,
    StudyRiskOfBias,
    rate_certainty,
)
from acuevidence.evidence.records import Design
from acuevidence.research.models import Comparison, Result, Study

RANDOMIZED = frozenset({Design.RCT, Design.CROSSOVER, Design.CLUSTER})
UNRATABLE_DESIGNS = frozenset({Design.SYSTEMATIC_REVIEW, Design.PROTOCOL})


@dataclass(frozen=True)
class RatedComparison:
    """A comparison with its rating, or the reason it could not be rated (for editors)."""

    comparison: Comparison
    rating: CertaintyRating | None
    evidence: EffectEvidence | None = None
    not_rated: str = ""


def study_risk_of_bias(study: Study, *, weight: float = 1.0, label: str = "") -> StudyRiskOfBias:
    """The editor's RoB 2 judgments of ``study``; the first row per domain counts."""
    judgments: dict[RobDomain, RobJudgment] = {}
    for row in study.risk_of_bias.all():
        domain = RobDomain(row.domain)
        if domain not in judgments:
            level = RobLevel(row.level) if row.level else None
            judgments[domain] = RobJudgment(domain, level, row.support)
    return StudyRiskOfBias(label or str(study), tuple(judgments.values()), weight)


def study_overrides(study: Study, outcome_label: str) -> list[DomainOverride]:
    """Overrides for this outcome; one written for a specific outcome beats a study-wide one."""
    chosen: dict[str, Any] = {}
    for row in study.certainty_overrides.all():
        if row.outcome_label and row.outcome_label.strip() != outcome_label.strip():
            continue
        if row.domain in chosen and not row.outcome_label:
            continue
        chosen[row.domain] = row
    return [
        DomainOverride(Domain(domain), int(row.levels_down), row.reason)
        for domain, row in chosen.items()
    ]


def arm_result(results: Iterable[Result], *, arm: str, comparison: Comparison) -> Result | None:
    """The result of ``arm`` for the comparison's outcome, preferring the same time point."""
    same_outcome = [
        r
        for r in results
        if r.arm_label == arm
        and (
            r.outcome_label == comparison.outcome_label
            or (comparison.outcome_id is not None and r.outcome_id == comparison.outcome_id)
        )
    ]
    timed = [r for r in same_outcome if r.timepoint == comparison.timepoint]
    return (timed or same_outcome or [None])[0]


def comparison_evidence(
    study: Study, comparison: Comparison, *, arms: Sequence[Any], results: Sequence[Result]
) -> EffectEvidence | str:
    """What the rating needs about one comparison, or why it cannot be rated."""
    if Design(study.design) in UNRATABLE_DESIGNS:
        return f"a {study.get_design_display().lower()} reports no effect of its own"
    if comparison.measure not in MEASURES:
        return "no effect measure the rating understands (MD, SMD, RR, OR or RD)"
    if None in (comparison.estimate, comparison.ci_lower, comparison.ci_upper):
        return "the estimate or its 95% CI is missing"
    outcome = comparison.outcome
    if outcome is None or outcome.higher_is_better is None:
        return "choose the outcome measure (and whether higher is better) to rate it"
    sizes = {a.label: a.n for a in arms}
    n1, n2 = sizes.get(comparison.intervention_arm), sizes.get(comparison.control_arm)
    n = (n1 + n2) if n1 and n2 else study.sample_size
    if not n:
        return "the number of participants is unknown"
    control = arm_result(results, arm=comparison.control_arm, comparison=comparison)
    control_risk = None
    sd = None
    if control is not None and control.events is not None and control.total:
        risk = control.events / control.total
        control_risk = risk if 0 < risk < 1 else None
    if control is not None and control.sd:
        sd = control.sd
    mid = outcome.minimal_important_difference if comparison.measure in ("MD",) else None
    try:
        return EffectEvidence(
            outcome=comparison.outcome_label,
            measure=comparison.measure,
            estimate=comparison.estimate,
            ci_lower=comparison.ci_lower,
            ci_upper=comparison.ci_upper,
            k=1,
            n=n,
            design=study.design,
            higher_is_better=outcome.higher_is_better,
            outcome_abbreviation=outcome.abbreviation,
            is_primary=comparison.is_primary is not False,
            p_value=comparison.p_value,
            mid=mid,
            sd=sd,
            control_risk=control_risk,
            risk_of_bias=(study_risk_of_bias(study),),
            indirect=comparison.indirect,
            indirectness_reason=comparison.indirectness_reason,
            publication_bias_suspected=comparison.publication_bias_suspected,
            publication_bias_reason=comparison.publication_bias_reason,
        )
    except ValueError as exc:
        return str(exc)


def study_ratings(study: Study) -> list[RatedComparison]:
    """Every comparison of ``study`` (live or draft content) with its rating."""
    arms = list(study.arms.all())
    results = list(study.results.all())
    rated = []
    for comparison in study.comparisons.all():
        evidence = comparison_evidence(study, comparison, arms=arms, results=results)
        if isinstance(evidence, str):
            rated.append(RatedComparison(comparison, None, None, evidence))
            continue
        try:
            rating = rate_certainty(evidence, study_overrides(study, comparison.outcome_label))
        except ValueError as exc:
            rated.append(RatedComparison(comparison, None, evidence, str(exc)))
            continue
        rated.append(RatedComparison(comparison, rating, evidence))
    return rated


def rating_domains(rating: CertaintyRating) -> list[dict[str, Any]]:
    """A rating's domains as stored (JSON) and shown: label, levels down, public reason."""
    return [
        {
            "domain": d.domain.value,
            "label": d.domain.label,
            "levels_down": d.levels_down,
            "reason": d.public_reason,
            "overridden": d.overridden,
            "computed_levels_down": d.computed_levels_down,
            "computed_reason": d.computed_reason,
        }
        for d in rating.domains
    ]


def study_certainty_store(*, study: Study) -> int:
    """Rate the published comparisons of ``study`` and store each rating; returns how many."""
    fresh = Study.objects.prefetch_related(
        "arms", "results", "comparisons__outcome", "risk_of_bias", "certainty_overrides"
    ).get(pk=study.pk)
    stored = 0
    for item in study_ratings(fresh):
        level = item.rating.level.value if item.rating else ""
        domains = rating_domains(item.rating) if item.rating else []
        Comparison.objects.filter(pk=item.comparison.pk).update(
            certainty=level, certainty_domains=domains
        )
        stored += item.rating is not None
    return stored
