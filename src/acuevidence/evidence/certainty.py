"""GRADE-style certainty of evidence for one outcome of one comparison.

The rating follows the GRADE approach (Guyatt et al. 2011, J Clin Epidemiol 64:383-394,
"GRADE guidelines 1"; Balshem et al. 2011, J Clin Epidemiol 64:401-406, "GRADE 3"):
randomized evidence starts at *high*, non-randomized evidence at *low*, and each of five
domains may rate it down by one or two levels:

* risk of bias -- GRADE 4 (Guyatt et al. 2011, J Clin Epidemiol 64:407-415), using the
  editor's RoB 2 judgments (Sterne et al. 2019, BMJ 366:l4898);
* inconsistency -- GRADE 7 (Guyatt et al. 2011, J Clin Epidemiol 64:1294-1302), with the
  I² bands of the Cochrane Handbook (version 6.4, section 10.10.2);
* indirectness -- GRADE 8 (Guyatt et al. 2011, J Clin Epidemiol 64:1303-1310), an
  editor's judgment;
* imprecision -- GRADE 6 (Guyatt et al. 2011, J Clin Epidemiol 64:1283-1293): the 95% CI
  against no effect and the minimal important difference, and the total sample size
  against the optimal information size (OIS);
* publication bias -- GRADE 5 (Guyatt et al. 2011, J Clin Epidemiol 64:1277-1282), with
  Egger's test only when there are at least 10 studies (Sterne et al. 2011, BMJ
  343:d4002), otherwise an editor's judgment.

The rules below make GRADE's judgments reproducible; an editor may override any domain
with a written reason (:class:`DomainOverride`), and every reason is public. Rating up
(large effect, dose-response) is not automated. ``docs/summaries.md`` states every rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from scipy import stats

from acuevidence.evidence.records import Design

#: Effect measures the rating understands; RR and OR are given on their natural scale.
MEASURES = frozenset({"MD", "SMD", "RR", "OR", "RD"})
RATIO_MEASURES = frozenset({"RR", "OR"})

#: GRADE 6's default thresholds of appreciable benefit or harm for ratios: a 25% relative
#: change (RR 0.75 or 1.25), used when no MID is given for a ratio measure.
DEFAULT_RELATIVE_MID = 0.25
#: Standardized difference used for the OIS of a continuous outcome when no MID (with an
#: SD) is known: Cohen's "small" effect of 0.2 SD (Cohen 1988, Statistical Power Analysis).
DEFAULT_STANDARDIZED_DIFFERENCE = 0.2
#: Relative risk reduction GRADE 6 uses for the OIS of a binary outcome.
OIS_RELATIVE_RISK_REDUCTION = 0.25
OIS_ALPHA = 0.05
OIS_POWER = 0.80
#: I² (percent) from which heterogeneity is "substantial" / "considerable"
#: (Cochrane Handbook 6.4, section 10.10.2).
I2_SUBSTANTIAL = 50.0
I2_CONSIDERABLE = 75.0
#: Egger's test: minimum number of studies and significance level (Sterne et al. 2011).
EGGER_MIN_STUDIES = 10
EGGER_ALPHA = 0.10


class CertaintyLevel(StrEnum):
    """The four GRADE levels, from the most to the least certain."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"

    @property
    def label(self) -> str:
        """The level as readers see it ("very low", not "very_low")."""
        return self.value.replace("_", " ")

    def lowered(self, levels: int) -> CertaintyLevel:
        """This level rated down by ``levels`` (never below very low)."""
        order = list(CertaintyLevel)
        return order[min(order.index(self) + max(levels, 0), len(order) - 1)]


class Domain(StrEnum):
    """The five GRADE domains that can rate certainty down."""

    RISK_OF_BIAS = "risk_of_bias"
    INCONSISTENCY = "inconsistency"
    INDIRECTNESS = "indirectness"
    IMPRECISION = "imprecision"
    PUBLICATION_BIAS = "publication_bias"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class RobDomain(StrEnum):
    """The five bias domains of RoB 2 (Sterne et al. 2019, BMJ 366:l4898)."""

    RANDOMIZATION = "randomization"
    DEVIATIONS = "deviations"
    MISSING_DATA = "missing_data"
    MEASUREMENT = "measurement"
    REPORTING = "reporting"

    @property
    def label(self) -> str:
        return _ROB_DOMAIN_LABELS[self]


_ROB_DOMAIN_LABELS = {
    RobDomain.RANDOMIZATION: "randomization process",
    RobDomain.DEVIATIONS: "deviations from intended interventions",
    RobDomain.MISSING_DATA: "missing outcome data",
    RobDomain.MEASUREMENT: "measurement of the outcome",
    RobDomain.REPORTING: "selection of the reported result",
}


class RobLevel(StrEnum):
    """A RoB 2 judgment. An unassessed domain is ``None`` and counts as some concerns."""

    LOW = "low"
    SOME_CONCERNS = "some_concerns"
    HIGH = "high"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Concern(StrEnum):
    """Why a domain was rated down, in a form the summaries can turn into plain words."""

    ROB_RANDOMIZATION = "rob_randomization"
    ROB_DEVIATIONS = "rob_deviations"
    ROB_MISSING_DATA = "rob_missing_data"
    ROB_MEASUREMENT = "rob_measurement"
    ROB_REPORTING = "rob_reporting"
    ROB_UNASSESSED = "rob_unassessed"
    HETEROGENEITY = "heterogeneity"
    NON_OVERLAPPING_CIS = "non_overlapping_cis"
    INDIRECT = "indirect"
    CI_INCLUDES_NO_EFFECT = "ci_includes_no_effect"
    CI_CROSSES_MID = "ci_crosses_mid"
    BELOW_OIS = "below_ois"
    SMALL_STUDY_EFFECTS = "small_study_effects"
    PUBLICATION_BIAS_SUSPECTED = "publication_bias_suspected"
    EDITOR_OVERRIDE = "editor_override"


_ROB_CONCERNS = {
    RobDomain.RANDOMIZATION: Concern.ROB_RANDOMIZATION,
    RobDomain.DEVIATIONS: Concern.ROB_DEVIATIONS,
    RobDomain.MISSING_DATA: Concern.ROB_MISSING_DATA,
    RobDomain.MEASUREMENT: Concern.ROB_MEASUREMENT,
    RobDomain.REPORTING: Concern.ROB_REPORTING,
}


@dataclass(frozen=True, slots=True)
class RobJudgment:
    """An editor's RoB 2 judgment of one domain, with the support for it (shown publicly)."""

    domain: RobDomain
    level: RobLevel | None
    support: str = ""


@dataclass(frozen=True, slots=True)
class StudyRiskOfBias:
    """RoB 2 judgments for one study's result; domains not listed are unassessed.

    ``weight`` is the study's share of the evidence (its meta-analysis weight, or its
    sample size); only ratios between studies matter.
    """

    study: str
    judgments: tuple[RobJudgment, ...] = ()
    weight: float = 1.0

    def __post_init__(self) -> None:
        domains = [j.domain for j in self.judgments]
        if len(domains) != len(set(domains)):
            raise ValueError(f"{self.study}: a RoB 2 domain is judged twice")
        if not self.weight > 0:
            raise ValueError(f"{self.study}: weight must be positive, got {self.weight}")

    def level(self, domain: RobDomain) -> RobLevel | None:
        """The editor's judgment of ``domain``, ``None`` when unassessed."""
        return next((j.level for j in self.judgments if j.domain == domain), None)

    def support(self, domain: RobDomain) -> str:
        return next((j.support for j in self.judgments if j.domain == domain), "")

    @property
    def unassessed(self) -> tuple[RobDomain, ...]:
        return tuple(d for d in RobDomain if self.level(d) is None)

    @property
    def overall(self) -> RobLevel:
        """RoB 2's overall judgment: high if any domain is high, low only if all are low.

        Unassessed domains count as some concerns. (RoB 2 also allows "high" for some
        concerns in several domains; that call is left to an editor's override.)
        """
        levels = [self.level(d) or RobLevel.SOME_CONCERNS for d in RobDomain]
        if RobLevel.HIGH in levels:
            return RobLevel.HIGH
        if RobLevel.SOME_CONCERNS in levels:
            return RobLevel.SOME_CONCERNS
        return RobLevel.LOW


@dataclass(frozen=True, slots=True)
class EffectEvidence:
    """Everything the rating needs about one outcome of one comparison.

    Numbers are on the measure's natural scale (ratios are *not* logged). ``i2`` is in
    percent (0-100) as metafor reports it. ``mid`` is the minimal important difference
    on the measure's scale for MD, SMD and RD, and a relative change for RR and OR
    (0.25 means ratios below 0.75 or above 1.25 are important). ``sd`` is a typical
    standard deviation of the outcome (for the OIS of an MD); ``control_risk`` is the
    risk in the control group (for the OIS of a binary outcome). ``study_cis`` are the
    individual studies' CIs, used to spot non-overlapping intervals.
    """

    outcome: str
    measure: str
    estimate: float
    ci_lower: float
    ci_upper: float
    k: int
    n: int
    design: Design | str
    higher_is_better: bool
    outcome_abbreviation: str = ""
    is_primary: bool = True
    p_value: float | None = None
    i2: float | None = None
    mid: float | None = None
    sd: float | None = None
    control_risk: float | None = None
    egger_p: float | None = None
    study_cis: tuple[tuple[float, float], ...] = ()
    risk_of_bias: tuple[StudyRiskOfBias, ...] = ()
    indirect: bool = False
    indirectness_reason: str = ""
    publication_bias_suspected: bool = False
    publication_bias_reason: str = ""

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"measure must be one of {sorted(MEASURES)}, got {self.measure!r}")
        object.__setattr__(self, "design", Design(self.design))
        if not self.ci_lower <= self.estimate <= self.ci_upper:
            raise ValueError(
                f"{self.outcome}: estimate {self.estimate} is outside its CI "
                f"[{self.ci_lower}, {self.ci_upper}]"
            )
        if self.is_ratio and self.ci_lower <= 0:
            raise ValueError(f"{self.outcome}: a ratio's CI must be positive (not logged)")
        if self.k < 1 or self.n < 1:
            raise ValueError(f"{self.outcome}: k and n must be at least 1")
        if self.i2 is not None and not 0 <= self.i2 <= 100:
            raise ValueError(f"{self.outcome}: i2 is a percentage (0-100), got {self.i2}")
        if self.mid is not None and self.mid <= 0:
            raise ValueError(f"{self.outcome}: mid must be positive, got {self.mid}")
        if self.control_risk is not None and not 0 < self.control_risk < 1:
            raise ValueError(f"{self.outcome}: control_risk must be in (0, 1)")
        if self.design in (Design.SYSTEMATIC_REVIEW, Design.PROTOCOL):
            raise ValueError(f"{self.outcome}: a {self.design} has no effect to rate")

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    @property
    def null_value(self) -> float:
        """The value meaning "no effect": 1 for ratios, 0 for differences."""
        return 1.0 if self.is_ratio else 0.0

    @property
    def randomized(self) -> bool:
        return self.design in (Design.RCT, Design.CROSSOVER, Design.CLUSTER)

    @property
    def mid_bounds(self) -> tuple[float, float] | None:
        """(lower, upper) thresholds of an important effect around no effect, if known."""
        if self.is_ratio:
            relative = self.mid if self.mid is not None else DEFAULT_RELATIVE_MID
            return (1 - relative, 1 + relative)
        if self.mid is None:
            return None
        return (-self.mid, self.mid)


@dataclass(frozen=True, slots=True)
class DomainOverride:
    """An editor's judgment replacing the computed one for ``domain``; the reason is public."""

    domain: Domain
    levels_down: int
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "domain", Domain(self.domain))
        if self.levels_down not in (0, 1, 2):
            raise ValueError(f"levels_down must be 0, 1 or 2, got {self.levels_down}")
        if not self.reason.strip():
            raise ValueError(f"an override of {self.domain.label} needs a written reason")


@dataclass(frozen=True, slots=True)
class DomainJudgment:
    """The outcome of one domain: how many levels down, and why, in publishable words.

    ``computed_levels_down`` and ``computed_reason`` keep the rule's result when an
    editor overrode it, so the review screen can show both.
    """

    domain: Domain
    levels_down: int
    reason: str
    concerns: tuple[Concern, ...] = ()
    overridden: bool = False
    editor_reason: str = ""
    computed_levels_down: int = 0
    computed_reason: str = ""

    @property
    def public_reason(self) -> str:
        """What readers see next to the rating."""
        if self.overridden:
            return f"{self.reason} (editor's judgment)"
        return self.reason


@dataclass(frozen=True, slots=True)
class CertaintyRating:
    """A rating with its starting level and the judgment of every domain."""

    level: CertaintyLevel
    start: CertaintyLevel
    domains: tuple[DomainJudgment, ...]
    ois: int | None = None

    @property
    def overridden(self) -> bool:
        return any(d.overridden for d in self.domains)

    @property
    def downgrades(self) -> tuple[DomainJudgment, ...]:
        """The domains that lowered the rating."""
        return tuple(d for d in self.domains if d.levels_down > 0)

    def judgment(self, domain: Domain) -> DomainJudgment:
        return next(d for d in self.domains if d.domain == domain)

    def reasons(self) -> list[str]:
        """Public reasons: every domain that lowered the rating or that an editor changed."""
        return [
            f"{d.domain.label.capitalize()}: {d.public_reason}"
            for d in self.domains
            if d.levels_down > 0 or d.overridden
        ]


def rate_certainty(
    evidence: EffectEvidence, overrides: Iterable[DomainOverride] = ()
) -> CertaintyRating:
    """Rate the certainty of ``evidence`` GRADE-style, applying the editor's overrides."""
    by_domain: dict[Domain, DomainOverride] = {}
    for override in overrides:
        if override.domain in by_domain:
            raise ValueError(f"{override.domain.label} is overridden twice")
        by_domain[override.domain] = override
    ois = optimal_information_size(evidence)
    computed = (
        _risk_of_bias(evidence.risk_of_bias),
        _inconsistency(evidence),
        _indirectness(evidence),
        _imprecision(evidence, ois),
        _publication_bias(evidence),
    )
    domains = tuple(_apply(judgment, by_domain.get(judgment.domain)) for judgment in computed)
    start = CertaintyLevel.HIGH if evidence.randomized else CertaintyLevel.LOW
    level = start.lowered(sum(d.levels_down for d in domains))
    return CertaintyRating(level=level, start=start, domains=domains, ois=ois)


def optimal_information_size(evidence: EffectEvidence) -> int | None:
    """Total participants an adequately powered single trial would need (GRADE 6).

    Two-sided α = 0.05 and power 80%. Continuous outcomes: ``4(z₁₋α/₂ + z₁₋β)²/d²``
    with ``d`` the MID in SD units (the MID itself for an SMD, MID/SD for an MD), or
    0.2 SD when that is unknown. Binary outcomes: the two-proportion formula with the
    pooled variance under the null (Fleiss, Levin & Paik 2003, Statistical Methods for
    Rates and Proportions, ch. 4, without continuity correction), for the control risk
    and a 25% relative risk reduction (GRADE 6); ``None`` when the control risk is
    unknown.
    """
    z_alpha = float(stats.norm.ppf(1 - OIS_ALPHA / 2))
    z_beta = float(stats.norm.ppf(OIS_POWER))
    z = z_alpha + z_beta
    if evidence.measure in ("RR", "OR", "RD"):
        if evidence.control_risk is None:
            return None
        p1 = evidence.control_risk
        p2 = p1 * (1 - OIS_RELATIVE_RISK_REDUCTION)
        pooled = (p1 + p2) / 2
        spread = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_beta * math.sqrt(
            p1 * (1 - p1) + p2 * (1 - p2)
        )
        return 2 * math.ceil((spread / (p1 - p2)) ** 2)
    d = DEFAULT_STANDARDIZED_DIFFERENCE
    if evidence.measure == "SMD" and evidence.mid is not None:
        d = evidence.mid
    elif evidence.mid is not None and evidence.sd is not None:
        d = evidence.mid / evidence.sd
    return 2 * math.ceil(2 * z**2 / d**2)


def _apply(judgment: DomainJudgment, override: DomainOverride | None) -> DomainJudgment:
    if override is None:
        return judgment
    concerns = judgment.concerns if override.levels_down else ()
    return DomainJudgment(
        domain=judgment.domain,
        levels_down=override.levels_down,
        reason=override.reason.strip(),
        concerns=concerns or ((Concern.EDITOR_OVERRIDE,) if override.levels_down else ()),
        overridden=True,
        editor_reason=override.reason.strip(),
        computed_levels_down=judgment.levels_down,
        computed_reason=judgment.reason,
    )


def _judgment(
    domain: Domain, levels: int, reason: str, concerns: Sequence[Concern] = ()
) -> DomainJudgment:
    return DomainJudgment(
        domain=domain,
        levels_down=levels,
        reason=reason,
        concerns=tuple(concerns),
        computed_levels_down=levels,
        computed_reason=reason,
    )


def _risk_of_bias(studies: Sequence[StudyRiskOfBias]) -> DomainJudgment:
    """GRADE 4: rate down by the share of the evidence from studies not at low risk.

    One level when studies carrying more than half of the weight are not at low risk
    (some concerns or high); two levels when studies carrying more than half of the
    weight are at high risk in two or more RoB 2 domains ("crucial limitations for
    several criteria"). With no assessment at all, every domain is unassessed.
    """
    domain = Domain.RISK_OF_BIAS
    if not studies:
        return _judgment(
            domain,
            1,
            "risk of bias has not been assessed; counted as some concerns",
            [Concern.ROB_UNASSESSED],
        )
    total = sum(s.weight for s in studies)
    not_low = sum(s.weight for s in studies if s.overall != RobLevel.LOW) / total
    severe = (
        sum(s.weight for s in studies if sum(s.level(d) == RobLevel.HIGH for d in RobDomain) >= 2)
        / total
    )
    levels = 2 if severe > 0.5 else 1 if not_low > 0.5 else 0
    concerns: list[Concern] = []
    parts: list[str] = []
    for rob_domain in RobDomain:
        flagged = [
            s for s in studies if s.level(rob_domain) in (RobLevel.SOME_CONCERNS, RobLevel.HIGH)
        ]
        if flagged:
            concerns.append(_ROB_CONCERNS[rob_domain])
            parts.append(_rob_domain_text(rob_domain, flagged, len(studies)))
    unassessed = [d for d in RobDomain if any(d in s.unassessed for s in studies)]
    if unassessed:
        concerns.append(Concern.ROB_UNASSESSED)
        names = ", ".join(d.label for d in unassessed)
        parts.append(f"not assessed, counted as some concerns: {names}")
    overall = _share_text(studies, not_low)
    reason = overall + ("; " + "; ".join(parts) if parts else "")
    return _judgment(domain, levels, reason, concerns if levels else ())


def _share_text(studies: Sequence[StudyRiskOfBias], not_low: float) -> str:
    if len(studies) == 1:
        return f"{studies[0].overall.label} overall"
    if not_low == 0:
        return f"all {len(studies)} studies are at low risk of bias"
    return f"studies carrying {round(100 * not_low)}% of the weight are not at low risk of bias"


def _rob_domain_text(domain: RobDomain, flagged: Sequence[StudyRiskOfBias], k: int) -> str:
    supports = sorted({s.support(domain) for s in flagged if s.support(domain)})
    high = any(s.level(domain) == RobLevel.HIGH for s in flagged)
    worst = RobLevel.HIGH if high else RobLevel.SOME_CONCERNS
    who = "" if k == 1 else f" in {len(flagged)} of {k} studies"
    text = f"{domain.label}: {worst.label}{who}"
    return text + (f" ({'; '.join(supports)})" if supports else "")


def _inconsistency(evidence: EffectEvidence) -> DomainJudgment:
    """GRADE 7: I² of 50% or more, or study CIs that do not overlap, rate down one level;
    I² of 75% or more together with non-overlapping CIs rates down two."""
    domain = Domain.INCONSISTENCY
    if evidence.k == 1:
        return _judgment(domain, 0, "not applicable to a single study")
    disjoint = any(
        hi1 < lo2 or hi2 < lo1 for (lo1, hi1), (lo2, hi2) in combinations(evidence.study_cis, 2)
    )
    i2 = evidence.i2
    substantial = i2 is not None and i2 >= I2_SUBSTANTIAL
    considerable = i2 is not None and i2 >= I2_CONSIDERABLE
    levels = 2 if considerable and disjoint else 1 if substantial or disjoint else 0
    parts = [] if i2 is None else [f"I² = {round(i2)}%"]
    if disjoint:
        parts.append("some studies' confidence intervals do not overlap")
    elif evidence.study_cis:
        parts.append("the studies' confidence intervals overlap")
    concerns = [Concern.HETEROGENEITY] * substantial + [Concern.NON_OVERLAPPING_CIS] * disjoint
    if not parts:
        return _judgment(domain, 0, "heterogeneity was not reported")
    return _judgment(domain, levels, "; ".join(parts), concerns)


def _indirectness(evidence: EffectEvidence) -> DomainJudgment:
    """GRADE 8: an editor's judgment that population, treatment, comparator or outcome
    differ from the question asked."""
    if not evidence.indirect:
        return _judgment(Domain.INDIRECTNESS, 0, "no concerns recorded by the editors")
    reason = evidence.indirectness_reason.strip() or "the editors judged the evidence indirect"
    return _judgment(Domain.INDIRECTNESS, 1, reason, [Concern.INDIRECT])


def _imprecision(evidence: EffectEvidence, ois: int | None) -> DomainJudgment:
    """GRADE 6: one level when the CI includes no effect or crosses the MID, or when the
    total sample is below the OIS; two levels when both hold, or when the CI includes
    both an important benefit and an important harm."""
    concerns: list[Concern] = []
    parts: list[str] = []
    lo, hi = evidence.ci_lower, evidence.ci_upper
    if lo <= evidence.null_value <= hi:
        concerns.append(Concern.CI_INCLUDES_NO_EFFECT)
        parts.append("the 95% CI includes no effect")
    bounds = evidence.mid_bounds
    both_ways = False
    if bounds is not None:
        below, above = bounds
        crosses = lo < below < hi or lo < above < hi
        both_ways = lo < below and hi > above
        if crosses:
            concerns.append(Concern.CI_CROSSES_MID)
            parts.append("the 95% CI crosses the minimal important difference")
    if ois is not None and evidence.n < ois:
        concerns.append(Concern.BELOW_OIS)
        who = "the single study's" if evidence.k == 1 else "the"
        parts.append(
            f"{who} {evidence.n} participants are fewer than the optimal information size of {ois}"
        )
    wide = bool({Concern.CI_INCLUDES_NO_EFFECT, Concern.CI_CROSSES_MID} & set(concerns))
    small = Concern.BELOW_OIS in concerns
    levels = 2 if both_ways or (wide and small) else 1 if wide or small else 0
    if not parts:
        size = (
            ""
            if ois is None
            else f" and {evidence.n} participants reach the optimal information size of {ois}"
        )
        parts.append(f"the 95% CI excludes no effect{size}")
    return _judgment(Domain.IMPRECISION, levels, "; ".join(parts), concerns)


def _publication_bias(evidence: EffectEvidence) -> DomainJudgment:
    """GRADE 5: Egger's test (p < 0.10) with 10 or more studies; otherwise, or in
    addition, the editor's judgment."""
    domain = Domain.PUBLICATION_BIAS
    if evidence.publication_bias_suspected:
        reason = evidence.publication_bias_reason.strip() or "suspected by the editors"
        return _judgment(domain, 1, reason, [Concern.PUBLICATION_BIAS_SUSPECTED])
    if evidence.k >= EGGER_MIN_STUDIES and evidence.egger_p is not None:
        if evidence.egger_p < EGGER_ALPHA:
            reason = f"Egger's test suggests small-study effects (p = {evidence.egger_p:.2g})"
            return _judgment(domain, 1, reason, [Concern.SMALL_STUDY_EFFECTS])
        return _judgment(
            domain, 0, f"Egger's test shows no small-study effects (p = {evidence.egger_p:.2g})"
        )
    if evidence.k < EGGER_MIN_STUDIES:
        return _judgment(
            domain,
            0,
            f"too few studies for a funnel-plot test (fewer than {EGGER_MIN_STUDIES}); "
            "no concerns recorded by the editors",
        )
    return _judgment(domain, 0, "Egger's test not available; no concerns recorded by the editors")


__all__ = [
    "CertaintyLevel",
    "CertaintyRating",
    "Concern",
    "Domain",
    "DomainJudgment",
    "DomainOverride",
    "EffectEvidence",
    "RobDomain",
    "RobJudgment",
    "RobLevel",
    "StudyRiskOfBias",
    "optimal_information_size",
    "rate_certainty",
]
