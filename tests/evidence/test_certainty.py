"""GRADE-style certainty: starting level, the five domains, the OIS and editor overrides."""

from __future__ import annotations

import dataclasses

import pytest
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import samplesize_proportions_2indep_onetail
from summary_cases import NAUSEA_CONTROL_RISK, NAUSEA_PARTICIPANTS, seed_evidence

from acuevidence.evidence.certainty import (
    CertaintyLevel,
    Concern,
    Domain,
    DomainOverride,
    EffectEvidence,
    RobDomain,
    RobJudgment,
    RobLevel,
    StudyRiskOfBias,
    optimal_information_size,
    rate_certainty,
)

ALL_LOW = tuple(RobJudgment(d, RobLevel.LOW) for d in RobDomain)


def low_risk(study: str = "trial", weight: float = 1.0) -> StudyRiskOfBias:
    return StudyRiskOfBias(study, ALL_LOW, weight)


def clean(**changes: object) -> EffectEvidence:
    """Three low-risk RCTs, consistent, precise and large enough: nothing to rate down."""
    fields: dict[str, object] = {
        "outcome": "pain",
        "measure": "SMD",
        "estimate": -0.5,
        "ci_lower": -0.6,
        "ci_upper": -0.4,
        "k": 3,
        "n": 1200,
        "design": "rct",
        "higher_is_better": False,
        "i2": 10.0,
        "risk_of_bias": (low_risk("a"), low_risk("b"), low_risk("c")),
    }
    fields.update(changes)
    return EffectEvidence(**fields)  # type: ignore[arg-type]


def test_seed_study_is_low_certainty_for_risk_of_bias_and_imprecision() -> None:
    rating = rate_certainty(seed_evidence("upper"))

    assert rating.start == CertaintyLevel.HIGH
    assert rating.level == CertaintyLevel.LOW
    assert [d.domain for d in rating.downgrades] == [Domain.RISK_OF_BIAS, Domain.IMPRECISION]
    rob, imprecision = rating.reasons()
    assert "not blinded" in rob
    assert "not assessed, counted as some concerns: randomization process" in rob
    assert "fewer than the optimal information size" in imprecision
    assert Concern.ROB_UNASSESSED in rating.judgment(Domain.RISK_OF_BIAS).concerns
    assert rating.judgment(Domain.IMPRECISION).concerns == (Concern.BELOW_OIS,)


def test_both_seed_outcomes_get_the_same_rating() -> None:
    assert rate_certainty(seed_evidence("lower")).level == CertaintyLevel.LOW


def test_randomized_evidence_with_no_concerns_is_high() -> None:
    rating = rate_certainty(clean())
    assert rating.level == CertaintyLevel.HIGH
    assert rating.downgrades == ()
    assert rating.reasons() == []


def test_observational_evidence_starts_low() -> None:
    rating = rate_certainty(clean(design="observational"))
    assert rating.start == CertaintyLevel.LOW
    assert rating.level == CertaintyLevel.LOW


def test_unassessed_risk_of_bias_counts_as_some_concerns_and_is_shown_as_unassessed() -> None:
    rating = rate_certainty(clean(risk_of_bias=()))
    judgment = rating.judgment(Domain.RISK_OF_BIAS)
    assert judgment.levels_down == 1
    assert "not been assessed" in judgment.reason
    assert rating.level == CertaintyLevel.MODERATE


def test_a_minority_of_weight_at_risk_does_not_rate_down() -> None:
    risky = StudyRiskOfBias("small", (RobJudgment(RobDomain.RANDOMIZATION, RobLevel.HIGH),), 1)
    rating = rate_certainty(clean(risk_of_bias=(low_risk("big", 9), risky)))
    assert rating.judgment(Domain.RISK_OF_BIAS).levels_down == 0


def test_high_risk_in_two_domains_for_most_of_the_weight_rates_down_two_levels() -> None:
    judgments = (
        RobJudgment(RobDomain.DEVIATIONS, RobLevel.HIGH, "open label"),
        RobJudgment(RobDomain.MISSING_DATA, RobLevel.HIGH, "40% lost"),
        *(RobJudgment(d, RobLevel.LOW) for d in (RobDomain.RANDOMIZATION, RobDomain.REPORTING)),
    )
    bad = StudyRiskOfBias("bad", judgments, weight=3)
    rating = rate_certainty(clean(risk_of_bias=(bad, low_risk("good", 1))))
    judgment = rating.judgment(Domain.RISK_OF_BIAS)
    assert judgment.levels_down == 2
    assert "75% of the weight" in judgment.reason
    assert "deviations from intended interventions: high in 1 of 2 studies (open label)" in (
        judgment.reason
    )


@pytest.mark.parametrize(
    ("i2", "cis", "levels"),
    [
        (30.0, (), 0),
        (60.0, (), 1),
        (30.0, ((-0.9, -0.7), (-0.3, -0.1)), 1),
        (80.0, ((-0.9, -0.7), (-0.3, -0.1)), 2),
        (80.0, ((-0.9, -0.2), (-0.5, -0.1)), 1),
    ],
)
def test_inconsistency_from_i2_and_non_overlapping_cis(
    i2: float, cis: tuple[tuple[float, float], ...], levels: int
) -> None:
    rating = rate_certainty(clean(i2=i2, study_cis=cis))
    assert rating.judgment(Domain.INCONSISTENCY).levels_down == levels


def test_inconsistency_does_not_apply_to_a_single_study() -> None:
    rating = rate_certainty(clean(k=1, i2=None, risk_of_bias=(low_risk(),)))
    assert rating.judgment(Domain.INCONSISTENCY).levels_down == 0
    assert "single study" in rating.judgment(Domain.INCONSISTENCY).reason


def test_indirectness_is_the_editors_flag_with_its_reason() -> None:
    rating = rate_certainty(clean(indirect=True, indirectness_reason="sham was not inert"))
    judgment = rating.judgment(Domain.INDIRECTNESS)
    assert (judgment.levels_down, judgment.reason) == (1, "sham was not inert")


def test_imprecision_when_the_ci_includes_no_effect() -> None:
    rating = rate_certainty(clean(estimate=-0.1, ci_lower=-0.3, ci_upper=0.1))
    judgment = rating.judgment(Domain.IMPRECISION)
    assert judgment.levels_down == 1
    assert judgment.concerns == (Concern.CI_INCLUDES_NO_EFFECT,)


def test_imprecision_two_levels_when_the_ci_includes_no_effect_and_n_is_below_ois() -> None:
    rating = rate_certainty(clean(estimate=-0.1, ci_lower=-0.3, ci_upper=0.1, n=100))
    assert rating.judgment(Domain.IMPRECISION).levels_down == 2


def test_imprecision_when_the_ci_crosses_the_mid() -> None:
    rating = rate_certainty(clean(estimate=-0.3, ci_lower=-0.45, ci_upper=-0.15, mid=0.2))
    assert rating.judgment(Domain.IMPRECISION).concerns == (Concern.CI_CROSSES_MID,)


def test_imprecision_two_levels_when_the_ci_spans_important_benefit_and_harm() -> None:
    rating = rate_certainty(clean(measure="RR", estimate=0.95, ci_lower=0.6, ci_upper=1.5))
    assert rating.judgment(Domain.IMPRECISION).levels_down == 2


def test_ratio_measures_use_grades_25_percent_thresholds_without_an_mid() -> None:
    evidence = clean(measure="RR", estimate=0.72, ci_lower=0.59, ci_upper=0.89)
    assert evidence.mid_bounds == (0.75, 1.25)
    assert Concern.CI_CROSSES_MID in rate_certainty(evidence).judgment(Domain.IMPRECISION).concerns


def test_continuous_ois_matches_the_two_sample_normal_power_calculation() -> None:
    per_group = NormalIndPower().solve_power(effect_size=0.2, alpha=0.05, power=0.8, ratio=1)
    assert optimal_information_size(clean(mid=None)) == 2 * int(-(-per_group // 1))
    per_group = NormalIndPower().solve_power(effect_size=0.5, alpha=0.05, power=0.8, ratio=1)
    assert optimal_information_size(clean(mid=0.5)) == 2 * int(-(-per_group // 1))
    md = clean(measure="MD", estimate=-2.0, ci_lower=-3.0, ci_upper=-1.0, mid=1.0, sd=2.0)
    assert optimal_information_size(md) == optimal_information_size(clean(mid=0.5))


def test_binary_ois_uses_control_risk_and_a_25_percent_relative_reduction() -> None:
    evidence = clean(
        measure="RR", estimate=0.7, ci_lower=0.6, ci_upper=0.8, control_risk=NAUSEA_CONTROL_RISK
    )
    reduction = NAUSEA_CONTROL_RISK * 0.25
    per_group = samplesize_proportions_2indep_onetail(
        diff=-reduction, prop2=NAUSEA_CONTROL_RISK, power=0.8, alpha=0.05
    )
    assert optimal_information_size(evidence) == 2 * int(-(-per_group // 1))
    assert optimal_information_size(evidence) < NAUSEA_PARTICIPANTS  # type: ignore[operator]
    assert optimal_information_size(dataclasses.replace(evidence, control_risk=None)) is None


@pytest.mark.parametrize(("k", "egger_p", "levels"), [(12, 0.03, 1), (12, 0.40, 0), (5, 0.01, 0)])
def test_egger_test_is_used_only_with_ten_or_more_studies(
    k: int, egger_p: float, levels: int
) -> None:
    rating = rate_certainty(clean(k=k, egger_p=egger_p))
    assert rating.judgment(Domain.PUBLICATION_BIAS).levels_down == levels


def test_publication_bias_editor_flag_with_few_studies() -> None:
    rating = rate_certainty(
        clean(publication_bias_suspected=True, publication_bias_reason="all trials by one maker")
    )
    judgment = rating.judgment(Domain.PUBLICATION_BIAS)
    assert (judgment.levels_down, judgment.reason) == (1, "all trials by one maker")


def test_rating_never_goes_below_very_low() -> None:
    evidence = clean(
        design="observational",
        risk_of_bias=(),
        i2=90.0,
        study_cis=((-0.9, -0.8), (0.1, 0.2)),
        estimate=-0.1,
        ci_lower=-0.3,
        ci_upper=0.1,
        n=50,
    )
    assert rate_certainty(evidence).level == CertaintyLevel.VERY_LOW


def test_editor_override_replaces_a_domain_and_its_reason_is_public() -> None:
    override = DomainOverride(
        Domain.IMPRECISION, 0, "the OIS rule is too strict for a scale with a known MID"
    )
    rating = rate_certainty(seed_evidence("upper"), [override])
    judgment = rating.judgment(Domain.IMPRECISION)

    assert rating.level == CertaintyLevel.MODERATE
    assert rating.overridden
    assert judgment.overridden and judgment.levels_down == 0
    assert judgment.computed_levels_down == 1
    assert "optimal information size" in judgment.computed_reason
    assert (
        "Imprecision: the OIS rule is too strict for a scale with a known MID "
        "(editor's judgment)" in rating.reasons()
    )


def test_editor_can_rate_down_a_domain_the_rules_left_alone() -> None:
    override = DomainOverride(Domain.INDIRECTNESS, 1, "outcome measured at 1 week only")
    rating = rate_certainty(clean(), [override])
    assert rating.level == CertaintyLevel.MODERATE
    assert rating.judgment(Domain.INDIRECTNESS).concerns == (Concern.EDITOR_OVERRIDE,)


@pytest.mark.parametrize(
    ("levels", "reason"), [(1, "  "), (3, "too many levels"), (-1, "rating up is not here")]
)
def test_overrides_need_a_reason_and_at_most_two_levels(levels: int, reason: str) -> None:
    with pytest.raises(ValueError):
        DomainOverride(Domain.RISK_OF_BIAS, levels, reason)


def test_a_domain_cannot_be_overridden_twice() -> None:
    twice = [DomainOverride("imprecision", 0, "a"), DomainOverride("imprecision", 1, "b")]
    with pytest.raises(ValueError, match="twice"):
        rate_certainty(clean(), twice)


@pytest.mark.parametrize(
    "changes",
    [
        {"estimate": 1.0},  # outside its CI
        {"measure": "RR", "estimate": -0.3, "ci_lower": -0.5, "ci_upper": -0.1},  # logged ratio
        {"i2": 0.6 * 1000},
        {"measure": "HR"},
        {"design": "protocol"},
        {"k": 0},
    ],
)
def test_invalid_evidence_is_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        clean(**changes)
