"""From a stored study to the inputs of ``evidence.summarize`` and ``evidence.checks``.

:func:`study_summary_input` builds a :class:`~acuevidence.evidence.summarize.StudySummaryInput`
from the study's arms, per-arm results, comparisons, certainty ratings and the plain
words an editor gave; :func:`study_drafts` turns it into the four draft texts. Numbers
are passed on as stored, so every number in a draft is one of the study's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from acuevidence.evidence import checks
from acuevidence.evidence.overclaim import Flag, find_overclaims
from acuevidence.evidence.records import Design, ResultKind
from acuevidence.evidence.summarize import (
    MEASURE_LABELS,
    ArmSummary,
    ArmValue,
    Effect,
    OutcomeSummary,
    StudySummaryInput,
    SummaryError,
    format_number,
    highlight,
    key_finding,
    key_outcome,
    plain_language_summary,
    reading_grade,
    technical_summary,
)
from acuevidence.research.certainty import RANDOMIZED, RatedComparison, arm_result, study_ratings
from acuevidence.research.models import Arm, Comparison, Result, Study

TEXT_FIELDS = ("key_finding", "plain_summary", "technical_summary", "highlight")
#: Cochrane's target for plain-language summaries (Flesch-Kincaid grade).
PLAIN_GRADE_TARGET = 8.0

_VALUE_FORMS = {
    ResultKind.MEAN_SD: "mean ± SD",
    ResultKind.MEDIAN_IQR: "median (IQR)",
    ResultKind.PROPORTION: "events/total",
}


def result_value(result: Result) -> str:
    """A per-arm result in its reported form: "8.86 ± 2.86", "4 (0 to 8)", "18/100"."""
    kind = ResultKind(result.kind)
    if kind == ResultKind.MEAN_SD and result.mean is not None:
        sd = f" ± {format_number(result.sd)}" if result.sd is not None else ""
        return f"{format_number(result.mean)}{sd}"
    if kind == ResultKind.MEDIAN_IQR and result.median is not None:
        iqr = ""
        if result.q1 is not None and result.q3 is not None:
            iqr = f" ({format_number(result.q1)} to {format_number(result.q3)})"
        return f"{format_number(result.median)}{iqr}"
    if kind == ResultKind.PROPORTION:
        if result.events is not None and result.total:
            return f"{result.events}/{result.total}"
        if result.percent is not None:
            return f"{format_number(result.percent)}%"
    return result.source_quote


def comparison_findings(
    comparison: Comparison, *, arms: list[Arm], results: list[Result]
) -> list[checks.Finding]:
    """Every consistency check the comparison's stored numbers allow (``evidence.checks``)."""
    sizes = {a.label: a.n for a in arms}
    one = arm_result(results, arm=comparison.intervention_arm, comparison=comparison)
    two = arm_result(results, arm=comparison.control_arm, comparison=comparison)
    outcome = comparison.outcome
    values: dict[str, object] = {}
    for suffix, arm, result in (
        ("1", comparison.intervention_arm, one),
        ("2", comparison.control_arm, two),
    ):
        if result is None:
            continue
        values[f"n{suffix}"] = result.n or sizes.get(arm)
        if result.kind == ResultKind.MEAN_SD:
            values[f"mean{suffix}"] = result.mean
            values[f"sd{suffix}"] = result.sd
        if result.events is not None and result.percent is not None:
            values[f"events{suffix}"] = result.events
            values[f"percent{suffix}"] = result.percent
    if not comparison.measure:
        return []
    try:
        return checks.check_comparison(
            measure=comparison.measure,
            estimate=comparison.estimate,
            ci_lower=comparison.ci_lower,
            ci_upper=comparison.ci_upper,
            p=comparison.p_value,
            p_relation=comparison.p_relation or None,
            scale_min=outcome.scale_min if outcome else None,
            scale_max=outcome.scale_max if outcome else None,
            grim_items=1 if outcome is not None and outcome.integer_valued else None,
            **values,  # type: ignore[arg-type]
        )
    except (ValueError, ZeroDivisionError) as exc:
        return [checks.Finding(checks.Level.WARN, "unchecked", f"could not check: {exc}")]


def study_findings(study: Study) -> list[tuple[Comparison, list[checks.Finding]]]:
    arms, results = list(study.arms.all()), list(study.results.all())
    return [
        (c, comparison_findings(c, arms=arms, results=results)) for c in study.comparisons.all()
    ]


def _p_text(comparison: Comparison) -> str:
    if comparison.p_value is None:
        return ""
    relation = comparison.p_relation if comparison.p_relation in ("<", ">") else ""
    return f"{relation}{format_number(comparison.p_value)}"


def _effect(comparison: Comparison) -> Effect | None:
    if comparison.measure not in MEASURE_LABELS or None in (
        comparison.estimate,
        comparison.ci_lower,
        comparison.ci_upper,
    ):
        return None
    try:
        return Effect(
            comparison.measure,
            comparison.estimate,
            comparison.ci_lower,
            comparison.ci_upper,
            p=_p_text(comparison),
        )
    except ValueError:
        return None


def _plain_outcome(comparison: Comparison | None, result: Result | None) -> str:
    if comparison is not None and comparison.outcome_plain:
        return comparison.outcome_plain
    outcome = (comparison.outcome if comparison else None) or (result.outcome if result else None)
    label = outcome.name if outcome else (comparison or result).outcome_label  # type: ignore[union-attr]
    return label[:1].lower() + label[1:]


def _outcomes(
    study: Study, rated: list[RatedComparison], results: list[Result]
) -> tuple[OutcomeSummary, ...]:
    outcomes = []
    covered: set[tuple[str, str]] = set()
    for item in rated:
        c = item.comparison
        covered.add((c.outcome_label, c.timepoint))
        arm_values = tuple(
            ArmValue(r.arm_label, result_value(r))
            for arm in (c.intervention_arm, c.control_arm)
            if (r := arm_result(results, arm=arm, comparison=c)) is not None and result_value(r)
        )
        control_result = arm_result(results, arm=c.control_arm, comparison=c)
        kind = control_result.kind if control_result is not None else ResultKind.MEAN_SD
        outcome = c.outcome
        outcomes.append(
            OutcomeSummary(
                name=c.outcome_label,
                plain_name=_plain_outcome(c, None),
                higher_is_better=bool(outcome.higher_is_better) if outcome else True,
                is_primary=c.is_primary,
                timepoint=c.timepoint,
                arm_values=arm_values,
                value_form=_VALUE_FORMS.get(ResultKind(kind), "as reported"),
                effect=_effect(c),
                mid=outcome.minimal_important_difference if outcome and c.measure == "MD" else None,
                certainty=item.rating,
                participants=item.evidence.n if item.evidence else None,
            )
        )
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        if (r.outcome_label, r.timepoint) not in covered:
            groups.setdefault((r.outcome_label, r.timepoint), []).append(r)
    for (label, timepoint), rows in groups.items():
        values = tuple(ArmValue(r.arm_label, v) for r in rows if (v := result_value(r)))
        if not values:
            continue
        outcomes.append(
            OutcomeSummary(
                name=label,
                plain_name=_plain_outcome(None, rows[0]),
                higher_is_better=bool(rows[0].outcome and rows[0].outcome.higher_is_better),
                timepoint=timepoint,
                arm_values=values,
                value_form=_VALUE_FORMS.get(ResultKind(rows[0].kind), "as reported"),
            )
        )
    return tuple(outcomes)


def _arm_pair(study: Study, arms: list[Arm]) -> tuple[Arm | None, Arm | None]:
    """The tested arm and its comparator: from the first comparison, else by therapy."""
    by_label = {a.label: a for a in arms}
    first = next(iter(study.comparisons.all()), None)
    if first is not None and first.intervention_arm in by_label:
        return by_label[first.intervention_arm], by_label.get(first.control_arm)
    tested = next((a for a in arms if a.therapy and not a.therapy.is_control), None)
    control = next((a for a in arms if a is not tested), None)
    return tested or (arms[0] if arms else None), control


def _therapy_words(arm: Arm | None, fallback: str) -> str:
    if arm is None:
        return fallback
    name = arm.therapy.name if arm.therapy else arm.label
    return name[:1].lower() + name[1:]


def study_summary_input(
    study: Study, *, rated: list[RatedComparison] | None = None, written_on: date | None = None
) -> StudySummaryInput:
    """The summary input for ``study`` (live or draft content), with the editor's plain words."""
    arms = list(study.arms.all())
    results = list(study.results.all())
    rated = study_ratings(study) if rated is None else rated
    conditions = list(study.conditions.all())
    condition = conditions[0].name if conditions else "the condition studied"
    tested, control = _arm_pair(study, arms)
    findings = [(f.level.value, f.message) for _, found in study_findings(study) for f in found]
    return StudySummaryInput(
        title=study.title,
        design=study.design,
        status=study.status,
        condition=condition[:1].lower() + condition[1:],
        population_plain=study.population_plain or f"people with {condition.lower()}",
        intervention=tested.label if tested else "the treatment tested",
        intervention_plain=study.intervention_plain or _therapy_words(tested, "the treatment"),
        comparator=control.label if control else "the comparison group",
        comparator_plain=study.comparator_plain or _therapy_words(control, "the comparison"),
        intervention_short=study.intervention_short,
        n=study.sample_size,
        arms=tuple(ArmSummary(a.label, _therapy_words(a, a.label), a.n) for a in arms),
        treatment_period=study.treatment_period,
        follow_up=study.follow_up,
        design_details=study.design_details,
        outcomes=_outcomes(study, rated, results),
        checks=tuple(findings),
        explanations=tuple(
            line.strip() for line in study.plain_explanations.splitlines() if line.strip()
        ),
        registry_id=(study.registry_ids or [""])[0],
        year=study.year,
        written_on=written_on,
    )


@dataclass(frozen=True)
class Drafts:
    """Generated texts (only those the data allow) and notes for the editor."""

    texts: dict[str, str]
    notes: list[str] = field(default_factory=list)


def study_drafts(study: Study, *, written_on: date | None = None) -> Drafts:
    """Draft the four texts for ``study``; a text the data cannot support is left out."""
    subject = study_summary_input(study, written_on=written_on)
    texts: dict[str, str] = {"technical_summary": technical_summary(subject)}
    notes = []
    for name, make in (
        ("key_finding", key_finding),
        ("plain_summary", lambda s: plain_language_summary(s).text),
        ("highlight", highlight),
    ):
        try:
            texts[name] = make(subject)
        except SummaryError as exc:
            notes.append(f"No {name.replace('_', ' ')} drafted: {exc}.")
    return Drafts(texts, notes)


def text_flags(study: Study, field_name: str, text: str) -> list[Flag]:
    """Overclaim flags for one of the study's texts, as the editor sees them."""
    if not text:
        return []
    primary = None
    if field_name == "key_finding":
        subject_outcome = key_outcome(study_summary_input(study))
        primary = None if subject_outcome is None else subject_outcome.is_primary
    return find_overclaims(
        text,
        randomized=Design(study.design) in RANDOMIZED,
        key_outcome_is_primary=False if primary is False else None,
    )


def plain_grade(text: str) -> float | None:
    """Flesch-Kincaid grade of a plain summary (headings excluded), ``None`` when empty."""
    body = "\n".join(line for line in text.splitlines() if not line.rstrip().endswith("?"))
    return round(reading_grade(body), 1) if body.strip() else None
