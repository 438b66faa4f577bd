"""Structured inputs for the certainty and summary tests, built from the project's seeds.

* The seed study (``/work/shared/seeds/study-page.txt``): an unblinded single-centre RCT,
  N = 102 (51 per arm), Shangtianmin scale at 6 months, upper limb 8.86 ± 2.86 vs
  6.08 ± 3.99 (MD 2.78, 95% CI 1.42 to 4.15), lower limb 10.35 ± 1.80 vs 6.86 ± 3.04
  (MD 3.49, 2.51 to 4.47), both p < 0.001.
* The P6 nausea synthesis: the 16 trials of Lee & Done 2004 (Cochrane CD003281), pooled
  RR 0.72 (0.59 to 0.89) as the review reports it.
* NCT05230628, an ongoing trial of auricular vagus nerve stimulation in obesity.
"""

from __future__ import annotations

from datetime import date

from acuevidence.evidence.certainty import (
    CertaintyRating,
    EffectEvidence,
    RobDomain,
    RobJudgment,
    RobLevel,
    StudyRiskOfBias,
    rate_certainty,
)
from acuevidence.evidence.summarize import (
    ArmSummary,
    ArmValue,
    Effect,
    OutcomeSummary,
    StudySummaryInput,
    SynthesisSummaryInput,
)

SEED_ROB = StudyRiskOfBias(
    "seed trial",
    (
        RobJudgment(RobDomain.DEVIATIONS, RobLevel.SOME_CONCERNS, "the trial was not blinded"),
        RobJudgment(RobDomain.MEASUREMENT, RobLevel.SOME_CONCERNS, "assessors were not blinded"),
    ),
)


def seed_evidence(limb: str = "upper") -> EffectEvidence:
    estimate, lo, hi = (2.78, 1.42, 4.15) if limb == "upper" else (3.49, 2.51, 4.47)
    return EffectEvidence(
        outcome=f"{limb}-limb function",
        measure="MD",
        estimate=estimate,
        ci_lower=lo,
        ci_upper=hi,
        k=1,
        n=102,
        design="rct",
        higher_is_better=True,
        p_value=0.001,
        risk_of_bias=(SEED_ROB,),
    )


def seed_outcome(limb: str, rating: CertaintyRating | None = None) -> OutcomeSummary:
    upper = limb == "upper"
    values = ("8.86 ± 2.86", "6.08 ± 3.99") if upper else ("10.35 ± 1.80", "6.86 ± 3.04")
    effect = Effect("MD", "2.78", "1.42", "4.15", p="<0.001")
    if not upper:
        effect = Effect("MD", "3.49", "2.51", "4.47", p="<0.001")
    part = "arm" if upper else "leg"
    return OutcomeSummary(
        name=f"Shangtianmin hemiplegia function score, {limb} limb",
        plain_name=f"{part} movement",
        plain_explanation=f"The study scored how well people could move their weak {part}",
        higher_is_better=True,
        is_primary=True,
        timepoint="6 months",
        unit="points",
        arm_values=(ArmValue("acupotomy group", values[0]), ArmValue("control group", values[1])),
        effect=effect,
        certainty=rating if rating is not None else rate_certainty(seed_evidence(limb)),
        participants=102,
    )


def seed_study(**changes: object) -> StudySummaryInput:
    fields: dict[str, object] = {
        "title": "Ultrasound-guided acupotomy with acupuncture for limb function after stroke",
        "design": "rct",
        "status": "completed",
        "condition": "post-stroke hemiplegia",
        "population_plain": "people who are weak on one side of the body after a stroke",
        "intervention": "ultrasound-guided acupotomy plus acupuncture and rehabilitation",
        "intervention_plain": "acupotomy added to acupuncture and usual care",
        "comparator": "rehabilitation alone",
        "comparator_plain": "usual care alone",
        "intervention_short": "the added treatments",
        "n": 102,
        "arms": (
            ArmSummary("acupotomy group", "acupotomy, acupuncture and usual care", 51),
            ArmSummary("control group", "usual care only", 51),
        ),
        "treatment_period": "4 weeks",
        "follow_up": "6 months",
        "design_details": "single centre, not blinded",
        "outcomes": (seed_outcome("upper"), seed_outcome("lower")),
        "checks": (("ok", "the CI of 2.78 matches the means, SDs and group sizes of 51"),),
        "explanations": (
            "Acupotomy uses a thin needle with a tiny flat blade at its tip.",
            "Doctors used a scan to guide the needle.",
            "Usual care here means exercise and other help to get moving again.",
        ),
        "country": "China",
        "written_on": date(2025, 6, 1),
    }
    fields.update(changes)
    return StudySummaryInput(**fields)  # type: ignore[arg-type]


#: Lee & Done 2004 (Cochrane CD003281), P6 vs sham, postoperative nausea, as transcribed in
#: metafor's ``dat.lee2004``: (study, events P6, total P6, events sham, total sham).
NAUSEA_TRIALS = (
    ("Agarwal 2000", 18, 100, 20, 100),
    ("Agarwal 2002", 5, 50, 18, 50),
    ("Alkaissi 1999", 9, 20, 7, 20),
    ("Alkaissi 2002", 32, 135, 31, 139),
    ("Allen 1994", 9, 23, 10, 23),
    ("Andrzejowski 1996", 11, 18, 12, 18),
    ("Duggal 1998", 69, 122, 80, 122),
    ("Dundee 1986", 3, 25, 12, 25),
    ("Ferrera-Love 1996", 1, 30, 1, 30),
    ("Gieron 1993", 11, 30, 19, 30),
    ("Harmon 1999", 7, 44, 16, 39),
    ("Harmon 2000", 4, 47, 6, 47),
    ("Ho 1996", 1, 30, 13, 30),
    ("Rusy 2002", 24, 40, 71, 80),
    ("Wang 2002", 16, 50, 53, 88),
    ("Zarate 2001", 28, 110, 25, 111),
)
NAUSEA_PARTICIPANTS = sum(t1 + t2 for _, _, t1, _, t2 in NAUSEA_TRIALS)
NAUSEA_CONTROL_RISK = sum(e2 for *_, e2, _ in NAUSEA_TRIALS) / sum(t2 for *_, t2 in NAUSEA_TRIALS)


def nausea_evidence() -> EffectEvidence:
    return EffectEvidence(
        outcome="postoperative nausea",
        measure="RR",
        estimate=0.72,
        ci_lower=0.59,
        ci_upper=0.89,
        k=16,
        n=NAUSEA_PARTICIPANTS,
        design="rct",
        higher_is_better=False,
        control_risk=NAUSEA_CONTROL_RISK,
    )


def nausea_synthesis() -> SynthesisSummaryInput:
    """The synthesis as the Django layer would pass it."""
    rating = rate_certainty(nausea_evidence())
    outcome = OutcomeSummary(
        name="postoperative nausea (incidence)",
        plain_name="sickness after surgery",
        plain_explanation="We looked at how many people felt sick in the hours after surgery",
        higher_is_better=False,
        is_primary=True,
        effect=Effect("RR", "0.72", "0.59", "0.89", method="random effects"),
        certainty=rating,
        studies=len(NAUSEA_TRIALS),
        participants=NAUSEA_PARTICIPANTS,
    )
    return SynthesisSummaryInput(
        condition="postoperative nausea and vomiting",
        population_plain="people having surgery",
        intervention="P6 acupoint stimulation",
        intervention_plain="pressing or needling a point on the wrist",
        comparator="sham treatment",
        comparator_plain="a fake treatment",
        intervention_short="wrist point treatment",
        studies=len(NAUSEA_TRIALS),
        participants=NAUSEA_PARTICIPANTS,
        outcomes=(outcome,),
        evidence_date=date(2004, 4, 1),
        explanations=(
            "The point is on the inside of the wrist, just above the crease.",
            "A fake treatment looks the same but does not work the point.",
        ),
    )


def ongoing_trial() -> StudySummaryInput:
    return StudySummaryInput(
        title="Auricular Vagus Stimulation in Obesity",
        design="rct",
        status="ongoing",
        condition="obesity (grade 1-2 nutritional obesity)",
        population_plain="adults with obesity",
        intervention="transcutaneous auricular vagus nerve stimulation (TENS on the tragus)",
        intervention_plain="mild electrical stimulation of the ear",
        comparator="sham stimulation of the ear lobe",
        comparator_plain="fake stimulation",
        arms=(
            ArmSummary("Active TENS", "stimulation of the tragus"),
            ArmSummary("Sham TENS", "stimulation of the ear lobe"),
        ),
        registry_id="NCT05230628",
        outcomes=(OutcomeSummary("body weight", "body weight", higher_is_better=False),),
    )
