"""Consistency checks of a published study's comparisons, recomputed on read.

The numbers come from the study's stored arms and per-arm results; the checks
themselves are ``evidence.checks.check_comparison`` (nothing is re-implemented
here). Arm data are used when the comparison names both arms and each has a
result for the same outcome and time point.
"""

from __future__ import annotations

from acuevidence.evidence.checks import Finding, check_comparison
from acuevidence.research.models import Comparison, Result, Study


def _arm_result(results: list[Result], comparison: Comparison, arm: str) -> Result | None:
    for result in results:
        if (
            result.arm_label == arm
            and result.outcome_label == comparison.outcome_label
            and result.timepoint == comparison.timepoint
        ):
            return result
    return None


def comparison_findings(study: Study, comparison: Comparison) -> list[Finding]:
    """Every check the stored numbers allow for one comparison of ``study``."""
    results = list(study.results.all())
    first = _arm_result(results, comparison, comparison.intervention_arm)
    second = _arm_result(results, comparison, comparison.control_arm)
    arms: dict[str, object] = {}
    for suffix, result in (("1", first), ("2", second)):
        if result is None:
            continue
        n = result.n if result.n is not None else result.total
        arms |= {
            f"n{suffix}": n,
            f"mean{suffix}": result.mean,
            f"sd{suffix}": result.sd,
            f"events{suffix}": result.events,
            f"percent{suffix}": result.percent,
        }
    if not comparison.measure and comparison.estimate is None:
        return []
    try:
        return check_comparison(
            measure=comparison.measure or "MD",
            estimate=comparison.estimate,
            ci_lower=comparison.ci_lower,
            ci_upper=comparison.ci_upper,
            p=comparison.p_value,
            p_relation=comparison.p_relation or None,
            **arms,  # type: ignore[arg-type]
        )
    except ValueError:
        # A stored combination the checks cannot interpret (e.g. a zero SD) is not a finding.
        return []
