"""Run the statistics checks (:mod:`evidence.checks`) on what was extracted.

Each extracted difference or ratio is checked with the per-arm numbers printed
just before it in the same sentence ("8.86±2.86 vs 6.08±3.99 (difference 2.78;
95% CI 1.42–4.15; p<0.001)"), the arm sizes, the total N and the outcome's scale
facts from the vocabulary (range for the SD bound, integer scores for GRIM).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from acuevidence.evidence.checks import Finding, check_comparison
from acuevidence.evidence.extract.text import SentenceIndex
from acuevidence.evidence.records import Arm, ArmResult, Comparison, ResultKind, Span
from acuevidence.evidence.vocabulary import OUTCOMES

_OUTCOMES = {term.slug: term for term in OUTCOMES}


@dataclass(frozen=True, slots=True)
class SpannedFinding:
    """A check's finding and the span of the comparison it is about."""

    finding: Finding
    span: Span

    def to_json(self) -> dict[str, Any]:
        return {**self.finding.to_json(), "span": self.span.as_list()}


def check_extracted(
    comparisons: tuple[Comparison, ...],
    results: tuple[ArmResult, ...],
    arms: list[Arm],
    n_total: int | None,
    sentences: SentenceIndex,
) -> tuple[SpannedFinding, ...]:
    """Findings for every comparison, using the two mean/SD results printed before it."""
    findings: list[SpannedFinding] = []
    previous_end = 0
    for comparison in comparisons:
        if comparison.span is None:
            continue
        pair = _arm_pair(comparison.span, results, previous_end, sentences)
        previous_end = comparison.span.end
        findings += [
            SpannedFinding(finding, comparison.span)
            for finding in check_comparison(**_arguments(comparison, pair, arms, n_total))
        ]
    return tuple(findings)


def _arm_pair(
    span: Span, results: tuple[ArmResult, ...], floor: int, sentences: SentenceIndex
) -> tuple[ArmResult, ArmResult] | None:
    start = max(floor, sentences.at(span.start).start)
    before = [
        r
        for r in results
        if r.kind is ResultKind.MEAN_SD
        and r.span is not None
        and start <= r.span.start < span.start
    ]
    return (before[-2], before[-1]) if len(before) >= 2 else None


def _arguments(
    comparison: Comparison,
    pair: tuple[ArmResult, ArmResult] | None,
    arms: list[Arm],
    n_total: int | None,
) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "measure": comparison.measure or "MD",
        "estimate": comparison.estimate,
        "ci_lower": comparison.ci_lower,
        "ci_upper": comparison.ci_upper,
        "p": comparison.p_value,
        "p_relation": comparison.p_relation,
    }
    if pair is None:
        return arguments
    sizes = [arm.n for arm in arms]
    first, second = pair
    n1 = first.n if first.n is not None else (sizes[0] if len(sizes) == 2 else None)
    n2 = second.n if second.n is not None else (sizes[1] if len(sizes) == 2 else None)
    if n1 is None or n2 is None:
        return arguments
    arguments.update(n1=n1, mean1=first.mean, sd1=first.sd, n2=n2, mean2=second.mean, sd2=second.sd)
    if n_total is not None and len(arms) == 2:
        arguments["total"] = n_total
    term = _OUTCOMES.get(first.outcome or "")
    if term is not None and first.outcome == second.outcome:
        if term.integer_valued:
            arguments["grim_items"] = 1
        arguments["scale_min"] = term.scale_min
        arguments["scale_max"] = term.scale_max
    return arguments
