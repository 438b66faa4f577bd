"""Title + abstract -> design, arms, conditions, outcomes and every reported number, with spans.

Rules, not a learned model: each finder (``numbers``, ``arms``, ``design``) reads
the :func:`text.fold`-ed text with linear-time regular expressions, and
:mod:`linking` attaches each per-arm number to its outcome, arm and time point
within its sentence. Every item carries the half-open span of the text it came
from, indexing the text exactly as given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from acuevidence.evidence.extract.arms import find_arms, find_total
from acuevidence.evidence.extract.consistency import SpannedFinding, check_extracted
from acuevidence.evidence.extract.design import classify_design
from acuevidence.evidence.extract.linking import Linker
from acuevidence.evidence.extract.numbers import (
    Effect,
    Interval,
    PValue,
    find_effects,
    find_intervals,
    find_mean_sd,
    find_median_iqr,
    find_p_values,
    find_proportions,
)
from acuevidence.evidence.extract.text import SentenceIndex, fold
from acuevidence.evidence.records import Arm, ArmResult, Comparison, Design, ResultKind, Span
from acuevidence.evidence.vocabulary import find_conditions, find_outcomes

__all__ = ["Extraction", "extract"]

_RATIOS = frozenset({"RR", "OR", "HR", "IRR"})

# An abstract is rarely over 5,000 characters; reading at most this many bounds the
# time on any input (every rule is linear, but a megabyte of "1±1±..." is half a
# million results). Longer input is cut here and ``truncated_at`` says so.
MAX_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one title and abstract; spans index the text given to :func:`extract`.

    ``results`` holds per-arm numbers (mean/SD, median/IQR, proportions);
    ``comparisons`` holds between-arm differences and ratios. ``findings`` holds
    the consistency checks' findings on what was extracted.
    """

    design: Design | None
    n_total: int | None
    n_total_span: Span | None
    arms: tuple[Arm, ...]
    conditions: tuple[str, ...]
    outcomes: tuple[str, ...]
    results: tuple[ArmResult, ...]
    comparisons: tuple[Comparison, ...]
    p_values: tuple[PValue, ...]
    cis: tuple[Interval, ...]
    findings: tuple[SpannedFinding, ...] = ()
    truncated_at: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The object printed by ``acuevidence extract --json`` (see docs/extraction.md)."""
        items: list[tuple[int, dict[str, Any]]] = []
        for result in self.results:
            items.append((_start(result.span), _result_json(result)))
        for comparison in self.comparisons:
            items.append((_start(comparison.span), _comparison_json(comparison)))
        items.sort(key=lambda item: item[0])
        return {
            "design": self.design.value if self.design is not None else None,
            "n_total": self.n_total,
            "arms": [
                {"label": arm.label, "n": arm.n, "therapy": arm.therapy, "span": _span(arm.span)}
                for arm in self.arms
            ],
            "conditions": list(self.conditions),
            "outcomes": list(self.outcomes),
            "results": [item for _, item in items],
            "p_values": [
                {"text": p.text, "relation": p.relation, "value": p.value, "span": p.span.as_list()}
                for p in self.p_values
            ],
            "cis": [
                {
                    "lower": ci.lower,
                    "upper": ci.upper,
                    "level": _level(ci.level),
                    "span": ci.span.as_list(),
                }
                for ci in self.cis
            ],
            "findings": [finding.to_json() for finding in self.findings],
            "truncated_at": self.truncated_at,
        }


def extract(
    text: str, *, publication_types: Iterable[str] = (), mesh_terms: Iterable[str] = ()
) -> Extraction:
    """Extract design, arms, conditions, outcomes and numbers from a title and abstract.

    ``text`` is the title, a newline, then the abstract (either may be empty).
    Never raises on any ``str``; reads at most :data:`MAX_CHARS` characters.
    """
    truncated_at = MAX_CHARS if len(text) > MAX_CHARS else None
    folded = fold(text[:MAX_CHARS])
    title = folded.split("\n", 1)[0]
    sentences = SentenceIndex(folded)

    effects = find_effects(folded)
    intervals = _merge_intervals(find_intervals(folded), effects)
    p_values = find_p_values(folded)
    claimed = (
        [effect.span for effect in effects]
        + [ci.span for ci in intervals]
        + [p.span for p in p_values]
    )

    mean_sds = []
    medians = []
    for sentence in sentences:
        chunk = folded[sentence.start : sentence.end]
        mean_sds += find_mean_sd(chunk, sentence.start)
        medians += find_median_iqr(chunk, sentence.start)
    medians = [item for item in medians if not _overlaps(item.span, claimed)]
    mean_sds = [
        item for item in mean_sds if not _overlaps(item.span, claimed + [m.span for m in medians])
    ]
    taken = claimed + [item.span for item in mean_sds] + [item.span for item in medians]
    proportions = [item for item in find_proportions(folded) if not _overlaps(item.span, taken)]

    total = find_total(folded, sentences)
    arms = find_arms(folded, sentences)
    n_total = total.n if total is not None else _sum_of_arms(arms)

    linker = Linker(folded, sentences, arms, find_outcomes(folded))
    results = linker.per_arm_results(mean_sds, medians, proportions)
    comparisons = tuple(
        _comparison(effect, intervals, p_values, effects, linker, sentences) for effect in effects
    )
    return Extraction(
        design=classify_design(
            title, folded, publication_types=publication_types, mesh_terms=mesh_terms
        ),
        n_total=n_total,
        n_total_span=total.span if total is not None else None,
        arms=tuple(arms),
        conditions=_unique(mention.term.slug for mention in find_conditions(folded)),
        outcomes=_unique(mention.term.slug for mention in find_outcomes(folded)),
        results=results,
        comparisons=comparisons,
        p_values=tuple(p_values),
        cis=tuple(intervals),
        findings=check_extracted(comparisons, results, arms, n_total, sentences),
        truncated_at=truncated_at,
    )


def _merge_intervals(named: list[Interval], effects: list[Effect]) -> list[Interval]:
    """Named CIs plus the bare "(lo to hi)" CIs printed right after an estimate."""
    merged = list(named)
    for effect in effects:
        if effect.interval is not None and not _overlaps(
            effect.interval.span, [ci.span for ci in named]
        ):
            merged.append(effect.interval)
    merged.sort(key=lambda ci: ci.span.start)
    return merged


def _comparison(
    effect: Effect,
    intervals: list[Interval],
    p_values: list[PValue],
    effects: list[Effect],
    linker: Linker,
    sentences: SentenceIndex,
) -> Comparison:
    """An effect with the CI and p-value printed after it in the same sentence."""
    sentence = sentences.at(effect.span.start)
    following = [e.span.start for e in effects if e.span.start > effect.span.start] + [sentence.end]
    limit = min(following)
    interval = effect.interval
    end = effect.span.end
    if interval is None:
        interval = next(
            (ci for ci in intervals if end <= ci.span.end and ci.span.start < min(limit, end + 40)),
            None,
        )
    if interval is not None:
        end = max(end, interval.span.end)
    p_value = next(
        (p for p in p_values if end <= p.span.start < min(limit, end + 60)),
        None,
    )
    last = max(end, p_value.span.end if p_value is not None else end)
    span = Span(effect.span.start, last)
    return Comparison(
        outcome=linker.outcome_for(span),
        measure=effect.measure,
        estimate=effect.estimate,
        ci_lower=interval.lower if interval is not None else None,
        ci_upper=interval.upper if interval is not None else None,
        p_value=p_value.value if p_value is not None else None,
        p_relation=p_value.relation if p_value is not None else None,
        timepoint=linker.timepoint_for(span),
        arms=tuple(arm.label for arm in linker.arms),
        printed=effect.printed,
        span=span,
    )


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def _sum_of_arms(arms: list[Arm]) -> int | None:
    if len(arms) < 2 or any(arm.n is None for arm in arms):
        return None
    return sum(arm.n for arm in arms if arm.n is not None)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _start(span: Span | None) -> int:
    return span.start if span is not None else -1


def _span(span: Span | None) -> list[int] | None:
    return span.as_list() if span is not None else None


def _level(level: float) -> float | int:
    return int(level) if level.is_integer() else level


def _result_json(result: ArmResult) -> dict[str, Any]:
    values: dict[str, Any]
    if result.kind is ResultKind.MEAN_SD:
        values = {"mean": result.mean, "sd": result.sd, "n": result.n}
    elif result.kind is ResultKind.MEDIAN_IQR:
        values = {"median": result.median, "q1": result.q1, "q3": result.q3}
    else:
        values = {"events": result.events, "total": result.total, "percent": result.percent}
    return {
        "outcome": result.outcome,
        "timepoint": result.timepoint,
        "arm": result.arm,
        "kind": result.kind.value,
        "values": values,
        "span": _span(result.span),
    }


def _comparison_json(comparison: Comparison) -> dict[str, Any]:
    kind = ResultKind.RATIO if comparison.measure in _RATIOS else ResultKind.DIFFERENCE
    ci = (
        [comparison.ci_lower, comparison.ci_upper]
        if comparison.ci_lower is not None and comparison.ci_upper is not None
        else None
    )
    return {
        "outcome": comparison.outcome,
        "timepoint": comparison.timepoint,
        "arm": None,
        "kind": kind.value,
        "values": {
            "measure": comparison.measure,
            "estimate": comparison.estimate,
            "ci": ci,
            "p": comparison.p_value,
        },
        "span": _span(comparison.span),
    }
