"""Summaries: calibrated wording, plain-language shape and readability, number fidelity."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from summary_cases import nausea_synthesis, ongoing_trial, seed_outcome, seed_study

from acuevidence.evidence.certainty import (
    CertaintyLevel,
    CertaintyRating,
    DomainOverride,
    EffectEvidence,
    RobDomain,
    RobJudgment,
    RobLevel,
    StudyRiskOfBias,
    rate_certainty,
)
from acuevidence.evidence.overclaim import find_overclaims
from acuevidence.evidence.summarize import (
    HIGHLIGHT_MAX_CHARS,
    Direction,
    Effect,
    OutcomeSummary,
    StudySummaryInput,
    Subject,
    SummaryError,
    SynthesisSummaryInput,
    direction,
    effect_statement,
    format_number,
    highlight,
    key_finding,
    numbers_in,
    plain_language_summary,
    reading_grade,
    technical_summary,
)

PLS_HEADINGS = [
    "What did we want to find out?",
    "What did we do?",
    "What did we find?",
    "What are the limitations of the evidence?",
    "How up to date is this evidence?",
]


def all_texts(subject: Subject) -> list[str]:
    texts = [key_finding(subject), technical_summary(subject), highlight(subject)]
    if not (isinstance(subject, StudySummaryInput) and subject.status == "ongoing"):
        texts.append(plain_language_summary(subject).text)
    return texts


def input_numbers(value: Any) -> set[str]:
    """Every number the structured input holds, in the forms the summaries may write."""
    if isinstance(value, str):
        return set(numbers_in(value))
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return set(numbers_in(format_number(value)))
    if isinstance(value, date):
        return set(numbers_in(value.isoformat())) | {str(value.day)}
    if dataclasses.is_dataclass(value):
        items = [getattr(value, f.name) for f in dataclasses.fields(value)]
        return set().union(*(input_numbers(item) for item in items))
    if isinstance(value, tuple | list):
        return set().union(set(), *(input_numbers(item) for item in value))
    raise TypeError(f"unexpected input value {value!r}")


def assert_numbers_come_from_input(subject: Subject) -> None:
    allowed = input_numbers(subject)
    magnitudes = {n.lstrip("-") for n in allowed}
    for text in all_texts(subject):
        for number in numbers_in(text):
            ok = number in allowed if number.startswith("-") else number in magnitudes
            assert ok, f"{number} in {text!r} is not in the input"


# ---------------------------------------------------------------- the seed study


def test_seed_key_finding_reads_as_low_certainty_may_improve() -> None:
    first, second = key_finding(seed_study()).split(". ", 1)
    assert first == (
        "In people who are weak on one side of the body after a stroke, acupotomy added to "
        "acupuncture and usual care may improve arm movement compared with usual care alone"
    )
    assert second.startswith("Low-certainty evidence from one randomized trial with 102 ")
    assert "mean difference 2.78 points (95% CI 1.42 to 4.15; p < 0.001)" in second


def test_seed_plain_language_summary_has_cochranes_shape() -> None:
    summary = plain_language_summary(seed_study())
    assert [s.heading for s in summary.sections] == PLS_HEADINGS
    assert "may improve arm movement" in summary.text
    assert "GRADE" in summary.text


@pytest.mark.parametrize("subject", [seed_study(), nausea_synthesis()], ids=["seed", "nausea"])
def test_plain_language_summary_is_150_to_400_words_at_grade_8_or_below(subject: Subject) -> None:
    text = plain_language_summary(subject).text
    assert 150 <= len(text.split()) <= 400
    assert reading_grade(text) <= 8


def test_reading_grade_tells_plain_from_technical_text() -> None:
    plain = plain_language_summary(seed_study()).body
    assert reading_grade(technical_summary(seed_study())) > reading_grade(plain) + 4


def test_seed_limitations_give_the_reasons_in_plain_words() -> None:
    limitations = plain_language_summary(seed_study()).sections[3].text
    assert "Our confidence in the evidence for arm movement is low." in limitations
    assert "may have known which treatment they had" in limitations
    assert "have not been checked yet" in limitations
    assert "one small study" in limitations


def test_seed_technical_summary_reports_every_number_in_its_reported_form() -> None:
    text = technical_summary(seed_study())
    for expected in (
        "Randomized controlled trial (single centre, not blinded), N = 102",
        "acupotomy group (n = 51)",
        "Treatment period: 4 weeks. Follow-up: 6 months.",
        "acupotomy group 8.86 ± 2.86 vs control group 6.08 ± 3.99 (mean ± SD)",
        "mean difference 2.78 points (95% CI 1.42 to 4.15; p < 0.001)",
        "acupotomy group 10.35 ± 1.80 vs control group 6.86 ± 3.04",
        "mean difference 3.49 points (95% CI 2.51 to 4.47; p < 0.001)",
        "Certainty: low (Risk of bias: some concerns overall",
        "Imprecision: the single study's 102 participants are fewer than the optimal",
        "Consistency checks: ok: the CI of 2.78 matches",
    ):
        assert expected in text


def test_seed_highlight_fits_the_feed() -> None:
    text = highlight(seed_study())
    assert len(text) <= HIGHLIGHT_MAX_CHARS
    assert "may improve arm movement" in text and "low-certainty" in text


@pytest.mark.parametrize(
    "subject",
    [seed_study(), nausea_synthesis(), ongoing_trial()],
    ids=["seed", "nausea", "ongoing"],
)
def test_every_number_in_generated_text_comes_from_the_input(subject: Subject) -> None:
    assert_numbers_come_from_input(subject)


def test_number_fidelity_check_catches_a_rounded_number() -> None:
    rounded = seed_study(outcomes=(seed_outcome("upper"),))
    text = key_finding(rounded).replace("2.78", "2.8")
    assert "2.8" not in input_numbers(rounded)
    assert "2.8" in numbers_in(text)


# ---------------------------------------------------------------- synthesis and ongoing


def test_synthesis_key_finding_states_the_pooled_result() -> None:
    text = key_finding(nausea_synthesis())
    assert text.startswith(
        "In people having surgery, pressing or needling a point on the wrist may reduce "
        "sickness after surgery compared with a fake treatment."
    )
    assert "16 studies with 1826 participants: risk ratio 0.72 (95% CI 0.59 to 0.89)" in text


def test_synthesis_plain_summary_says_how_current_it_is() -> None:
    last = plain_language_summary(nausea_synthesis()).sections[-1].text
    assert "current to April 2004" in last
    assert "added, corrected or withdrawn" in last


def test_ongoing_trial_highlight_says_what_is_tested_in_whom_and_no_results_yet() -> None:
    text = highlight(ongoing_trial())
    assert len(text) <= HIGHLIGHT_MAX_CHARS
    assert "mild electrical stimulation of the ear" in text
    assert "adults with obesity" in text
    assert "Results are not yet available" in text
    assert "NCT05230628" in text


def test_ongoing_trial_has_no_plain_language_results() -> None:
    with pytest.raises(SummaryError):
        plain_language_summary(ongoing_trial())
    assert "not yet available" in key_finding(ongoing_trial())


def test_highlight_drops_detail_then_cuts_a_too_long_population() -> None:
    long_population = "people " + "with a very long description of their condition " * 6
    text = highlight(dataclasses.replace(ongoing_trial(), population_plain=long_population))
    assert len(text) <= HIGHLIGHT_MAX_CHARS
    assert text.endswith("…")


def test_a_study_without_a_rated_outcome_cannot_be_summarized() -> None:
    unrated = seed_study(outcomes=(dataclasses.replace(seed_outcome("upper"), certainty=None),))
    with pytest.raises(SummaryError):
        key_finding(unrated)


def test_plain_summary_reports_at_most_two_primary_outcomes_technical_reports_all() -> None:
    outcomes = tuple(
        dataclasses.replace(seed_outcome("upper"), plain_name=f"skill {name}", name=f"S-{name}")
        for name in ("alpha", "beta", "gamma")
    )
    subject = seed_study(outcomes=outcomes)
    found = plain_language_summary(subject).sections[2].text
    assert "skill alpha" in found and "skill beta" in found and "skill gamma" not in found
    assert "S-gamma" in technical_summary(subject)


# ---------------------------------------------------------------- wording rules


def rating(level: CertaintyLevel) -> CertaintyRating:
    return CertaintyRating(level=level, start=CertaintyLevel.HIGH, domains=())


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (CertaintyLevel.HIGH, "acupuncture improves function"),
        (CertaintyLevel.MODERATE, "acupuncture probably improves function"),
        (CertaintyLevel.LOW, "acupuncture may improve function"),
        (
            CertaintyLevel.VERY_LOW,
            "the evidence is very uncertain about the effect of acupuncture on function",
        ),
    ],
)
def test_informative_statement_per_certainty_level(level: CertaintyLevel, expected: str) -> None:
    assert effect_statement("acupuncture", "function", level, Direction.IMPROVES) == expected


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (CertaintyLevel.HIGH, "acupuncture results in little or no difference in pain"),
        (
            CertaintyLevel.MODERATE,
            "acupuncture probably results in little or no difference in pain",
        ),
        (CertaintyLevel.LOW, "acupuncture may result in little or no difference in pain"),
    ],
)
def test_little_or_no_difference_per_certainty_level(level: CertaintyLevel, expected: str) -> None:
    assert effect_statement("acupuncture", "pain", level, Direction.NO_DIFFERENCE) == expected


@pytest.mark.parametrize(
    ("effect", "higher_is_better", "mid", "expected"),
    [
        (Effect("MD", "2.78", "1.42", "4.15"), True, None, Direction.IMPROVES),
        (Effect("MD", "-1.2", "-2.0", "-0.4"), False, None, Direction.REDUCES),
        (Effect("MD", "1.2", "0.4", "2.0"), False, None, Direction.INCREASES),
        (Effect("MD", "0.33", "-1.87", "2.52"), False, None, Direction.NO_DIFFERENCE),
        (Effect("MD", "0.5", "0.2", "0.8"), True, "1", Direction.NO_DIFFERENCE),
        (Effect("RR", "0.72", "0.59", "0.89"), False, None, Direction.REDUCES),
        (Effect("RR", "0.9", "0.85", "0.95"), False, "0.25", Direction.NO_DIFFERENCE),
        (Effect("OR", "0.75", "0.54", "1.05"), False, None, Direction.NO_DIFFERENCE),
    ],
)
def test_direction_follows_ci_mid_and_which_way_is_better(
    effect: Effect, higher_is_better: bool, mid: str | None, expected: Direction
) -> None:
    assert direction(effect, higher_is_better=higher_is_better, mid=mid) == expected


def test_hot_flush_trial_at_moderate_certainty_reads_little_or_no_difference() -> None:
    outcome = OutcomeSummary(
        name="HF score",
        plain_name="hot flushes",
        higher_is_better=False,
        is_primary=True,
        effect=Effect("MD", "0.33", "-1.87", "2.52", p="0.77"),
        certainty=rating(CertaintyLevel.MODERATE),
    )
    subject = seed_study(outcomes=(outcome,), intervention_plain="acupuncture")
    assert "acupuncture probably results in little or no difference in hot flushes" in key_finding(
        subject
    )
    found = plain_language_summary(subject).sections[2].text
    assert "between 1.87 points lower and 2.52 points higher" in found
    assert "p = 0.77" in technical_summary(subject)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9.40", "9.40"),
        (" 8.86 ", "8.86"),
        (8.86, "8.86"),
        (2.0, "2"),
        (1e-05, "0.00001"),
        (102, "102"),
        ("−1.87", "-1.87"),
    ],
)
def test_format_number_keeps_the_reported_digits(value: str | float, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize("bad", ["1.2.3", "about 5", "", True])
def test_format_number_rejects_non_numbers(bad: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        format_number(bad)


def test_numbers_in_reads_signs_ranges_and_identifiers() -> None:
    text = "95% CI −1.87 to 2.52; 1.42-4.15 (-0.6); NCT05230628; p<0.001"
    assert numbers_in(text) == ["95", "-1.87", "2.52", "1.42", "4.15", "-0.6", "05230628", "0.001"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"estimate": "5", "ci_lower": "1", "ci_upper": "4"},
        {"estimate": "2", "ci_lower": "1", "ci_upper": "4", "p": "significant"},
        {"estimate": "2", "ci_lower": "1", "ci_upper": "4", "measure": "HR"},
    ],
)
def test_invalid_effects_are_rejected(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Effect(**{"measure": "MD", **kwargs})


# ---------------------------------------------------------------- properties

PLAIN_WORDS = st.sampled_from(
    ["needle therapy", "ear seeds", "heat therapy", "usual care", "a fake treatment", "exercise"]
)
PEOPLE = st.sampled_from(["adults with knee pain", "people after a stroke", "older women"])
OUTCOMES = st.sampled_from(["pain", "sleep", "walking speed", "hot flushes", "nausea"])
DESIGNS = st.sampled_from(["rct", "crossover", "observational"])
ROB_LEVELS = st.sampled_from([None, RobLevel.LOW, RobLevel.SOME_CONCERNS, RobLevel.HIGH])


@st.composite
def effects(draw: st.DrawFn) -> tuple[Effect, EffectEvidence]:
    measure = draw(st.sampled_from(["MD", "SMD", "RR", "OR", "RD"]))
    ratio = measure in ("RR", "OR")
    low = "0.05" if ratio else "-50"
    values = sorted(
        draw(st.lists(st.decimals(low, "50", places=2, allow_nan=False), min_size=3, max_size=3))
    )
    lo, est, hi = (format(v, "f") for v in values)
    k = draw(st.integers(1, 20))
    judgments = tuple(
        RobJudgment(domain, level, "blinding unclear")
        for domain in RobDomain
        if (level := draw(ROB_LEVELS)) is not None
    )
    evidence = EffectEvidence(
        outcome="outcome",
        measure=measure,
        estimate=float(est),
        ci_lower=float(lo),
        ci_upper=float(hi),
        k=k,
        n=draw(st.integers(10, 3000)),
        design=draw(DESIGNS),
        higher_is_better=draw(st.booleans()),
        i2=draw(st.none() | st.floats(0, 100)) if k > 1 else None,
        egger_p=draw(st.none() | st.floats(0, 1)),
        mid=draw(st.none() | st.sampled_from([0.1, 0.25, 0.5, 2.0])),
        risk_of_bias=(StudyRiskOfBias("s", judgments),),
        indirect=draw(st.booleans()),
        indirectness_reason="older adults only",
    )
    p = draw(st.sampled_from(["", "<0.001", "0.04", "0.77"]))
    return Effect(measure, est, lo, hi, p=p), evidence


@st.composite
def subjects(draw: st.DrawFn) -> tuple[Subject, bool]:
    outcomes = []
    randomized = True
    for _ in range(draw(st.integers(1, 3))):
        effect, evidence = draw(effects())
        randomized = randomized and evidence.randomized
        overrides = draw(
            st.lists(
                st.builds(
                    DomainOverride,
                    st.sampled_from(["imprecision", "inconsistency", "risk_of_bias"]),
                    st.integers(0, 2),
                    st.just("judged by the review team"),
                ),
                max_size=1,
            )
        )
        outcomes.append(
            OutcomeSummary(
                name=draw(OUTCOMES) + " score",
                plain_name=draw(OUTCOMES),
                higher_is_better=evidence.higher_is_better,
                is_primary=draw(st.sampled_from([True, False, None])),
                timepoint=draw(st.sampled_from(["", "8 weeks"])),
                effect=effect,
                mid=format_number(evidence.mid) if evidence.mid is not None else None,
                certainty=rate_certainty(evidence, overrides),
                studies=evidence.k,
                participants=evidence.n,
            )
        )
    common: dict[str, Any] = {
        "population_plain": draw(PEOPLE),
        "intervention_plain": draw(PLAIN_WORDS),
        "comparator_plain": draw(PLAIN_WORDS),
        "intervention": "acupuncture",
        "comparator": "control",
        "outcomes": tuple(outcomes),
    }
    if draw(st.booleans()):
        subject: Subject = SynthesisSummaryInput(
            condition="knee pain",
            studies=draw(st.integers(2, 30)),
            participants=draw(st.integers(50, 5000)),
            evidence_date=draw(st.dates(date(2000, 1, 1), date(2030, 12, 31))),
            **common,
        )
    else:
        design = "rct" if randomized else "observational"
        subject = StudySummaryInput(
            title="A trial",
            design=design,
            status="completed",
            condition="knee pain",
            n=draw(st.none() | st.integers(10, 3000)),
            treatment_period=draw(st.sampled_from(["", "6 weeks"])),
            year=draw(st.none() | st.integers(1990, 2030)),
            **common,
        )
    return subject, randomized


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subjects())
def test_generated_texts_never_overclaim_for_any_input(case: tuple[Subject, bool]) -> None:
    subject, randomized = case
    for text in all_texts(subject):
        assert find_overclaims(text, randomized=randomized) == [], text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subjects())
def test_generated_numbers_always_come_from_the_input(case: tuple[Subject, bool]) -> None:
    assert_numbers_come_from_input(case[0])
