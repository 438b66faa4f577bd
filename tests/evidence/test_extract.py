"""Extraction from titles and abstracts: notations, spans into the original text, linking."""

from __future__ import annotations

import pytest

from acuevidence.evidence.extract import extract
from acuevidence.evidence.extract.words import parse_number_words
from acuevidence.evidence.records import Design, ResultKind

SEED = (
    "Ultrasound-guided acupotomy for post-stroke hemiplegia: a randomized controlled trial\n"
    "In this randomized controlled trial (n=102), a treatment group (n=51) received "
    "ultrasound-guided acupotomy and a control group (n=51) received standard care. At 6 months, "
    "upper limb scores were 8.86±2.86 vs. 6.08±3.99 (difference 2.78; 95% CI 1.42–4.15; p<0.001)."
)


def _only(items: list, **attrs: object) -> object:
    found = [item for item in items if all(getattr(item, k) == v for k, v in attrs.items())]
    assert len(found) == 1, found
    return found[0]


def test_seed_study_numbers_with_spans_into_the_original_text() -> None:
    result = extract(SEED)
    assert result.design is Design.RCT
    assert result.n_total == 102
    assert [(arm.label, arm.n) for arm in result.arms] == [
        ("treatment group", 51),
        ("control group", 51),
    ]
    first, second = result.results
    assert (first.mean, first.sd) == (8.86, 2.86)
    assert first.span is not None and first.span.text_of(SEED) == "8.86±2.86"
    assert (second.mean, second.sd) == (6.08, 3.99)
    (comparison,) = result.comparisons
    assert (comparison.estimate, comparison.ci_lower, comparison.ci_upper) == (2.78, 1.42, 4.15)
    assert (comparison.p_relation, comparison.p_value) == ("<", 0.001)
    (ci,) = result.cis
    assert ci.span.text_of(SEED) == "95% CI 1.42–4.15"


def test_results_are_linked_to_outcome_arm_timepoint_and_arm_size() -> None:
    first, second = extract(SEED).results
    assert first.outcome == "shangtianmin-upper"
    assert first.timepoint == "6 months"
    assert (first.arm, first.n) == ("treatment group", 51)
    assert second.arm == "control group"


def test_seed_arms_map_to_therapy_vocabulary() -> None:
    arms = {arm.label: arm.therapy for arm in extract(SEED).arms}
    assert arms == {"treatment group": "ultrasound-guided-acupotomy", "control group": "usual-care"}


@pytest.mark.parametrize(
    ("printed", "lower", "upper"),
    [
        ("95% CI 1.42–4.15", 1.42, 4.15),
        ("95% CI 1.42 to 4.15", 1.42, 4.15),
        ("95% CI 1.42-4.15", 1.42, 4.15),
        ("95% CI [1.42, 4.15]", 1.42, 4.15),
        ("(95% CI: −0.12, 0.24)", -0.12, 0.24),
        ("95% CI, −2.3 to −0.7", -2.3, -0.7),
        ("95%CI: 1·12–4·93", 1.12, 4.93),
        ("90% CI 0.5 to 0.9", 0.5, 0.9),
    ],
)
def test_confidence_interval_notations(printed: str, lower: float, upper: float) -> None:
    text = f"Title\nThe effect was 1.0 ({printed}) in favour of acupuncture."
    (ci,) = extract(text).cis
    assert (ci.lower, ci.upper) == (lower, upper)
    assert ci.level == (90 if printed.startswith("90") else 95)
    assert printed.strip("()") in ci.span.text_of(text)


@pytest.mark.parametrize(
    ("printed", "relation", "value"),
    [
        ("p<0.001", "<", 0.001),
        ("P = .03", "=", 0.03),
        ("p=0.228", "=", 0.228),
        ("P < .05", "<", 0.05),
        ("p > 0.05", ">", 0.05),
        ("P ≤ 0.01", "<", 0.01),
        ("p=0·0002", "=", 0.0002),
        ("P < 1 × 10−4", "<", 0.0001),
    ],
)
def test_p_value_notations(printed: str, relation: str, value: float) -> None:
    text = f"Title\nPain fell more with acupuncture ({printed})."
    (p,) = extract(text).p_values
    assert (p.relation, p.value) == (relation, pytest.approx(value))
    assert p.span.text_of(text) == printed


@pytest.mark.parametrize(
    ("printed", "mean", "sd"),
    [
        ("8.86±2.86", 8.86, 2.86),
        ("8.86 ± 2.86", 8.86, 2.86),
        ("−0.71 (SD 0.52)", -0.71, 0.52),
        ("12.4 (8.2)", 12.4, 8.2),
        ("9.9 g (17.3)", 9.9, 17.3),
    ],
)
def test_mean_sd_notations(printed: str, mean: float, sd: float) -> None:
    text = f"Title\nScores were {printed} after treatment."
    (result,) = extract(text).results
    assert result.kind is ResultKind.MEAN_SD
    assert (result.mean, result.sd) == (mean, sd)
    assert result.span is not None and result.span.text_of(text) == printed


def test_median_with_a_unit_before_the_brackets() -> None:
    text = "Title\nMedian time to response was 14 days (IQR 10–21) with moxibustion."
    (result,) = extract(text).results
    assert (result.median, result.q1, result.q3) == (14, 10, 21)
    assert result.span is not None and result.span.text_of(text) == "14 days (IQR 10–21)"


def test_median_iqr_and_proportions() -> None:
    text = "Title\nTime to relief was a median of 3 (IQR 1–5) days; 23/51 (45.1%) and 12 of 51 responded."
    kinds = {result.kind: result for result in extract(text).results}
    median = kinds[ResultKind.MEDIAN_IQR]
    assert (median.median, median.q1, median.q3) == (3, 1, 5)
    proportions = [r for r in extract(text).results if r.kind is ResultKind.PROPORTION]
    assert [(p.events, p.total, p.percent) for p in proportions] == [(23, 51, 45.1), (12, 51, None)]


@pytest.mark.parametrize(
    ("printed", "measure", "estimate", "ci"),
    [
        ("OR 2.35 (95% CI 1.12–4.93)", "OR", 2.35, (1.12, 4.93)),
        ("RR 0.56 (0.40 to 0.79)", "RR", 0.56, (0.40, 0.79)),
        ("hazard ratio, 0.72; 95% CI, 0.58-0.89", "HR", 0.72, (0.58, 0.89)),
        ("SMD −0.45, 95% CI −0.70 to −0.20", "SMD", -0.45, (-0.70, -0.20)),
        ("mean difference 2.9 [95% CI, 0.8 to 5.0]", "MD", 2.9, (0.8, 5.0)),
    ],
)
def test_differences_and_ratios_with_their_intervals(
    printed: str, measure: str, estimate: float, ci: tuple[float, float]
) -> None:
    (comparison,) = extract(f"Title\nThe result was clear ({printed}).").comparisons
    assert (comparison.measure, comparison.estimate) == (measure, estimate)
    assert (comparison.ci_lower, comparison.ci_upper) == ci


@pytest.mark.parametrize(
    ("words", "value"),
    [("Two hundred fifty", 250), ("sixty-four", 64), ("One hundred and ten", 110), ("ninety", 90)],
)
def test_number_words(words: str, value: int) -> None:
    assert parse_number_words(words) == value


def test_word_number_total_and_each_group_sizes() -> None:
    text = (
        "Title\nTwo hundred fifty patients were randomly assigned to an acupuncture group or a "
        "sham group, 125 patients in each group."
    )
    result = extract(text)
    assert result.n_total == 250
    assert [(arm.therapy, arm.n) for arm in result.arms] == [
        ("acupuncture", 125),
        ("sham-acupuncture", 125),
    ]


def test_distractor_numbers_are_not_extracted() -> None:
    text = (
        "Electroacupuncture for insomnia (NCT01234567; ChiCTR2000031234)\n"
        "Adults aged 18 to 65 years received electroacupuncture at 2 Hz for 30 min, "
        "three times a week for 12 weeks, between 2019 and 2021."
    )
    result = extract(text)
    assert (result.results, result.comparisons, result.p_values, result.cis) == ((), (), (), ())
    assert result.n_total is None


def test_spans_survive_line_breaks_and_double_spaces() -> None:
    text = "Title\nScores  fell to\n9.7 ± 5.4 in the acupuncture\ngroup (P <\n0.001)."
    result = extract(text)
    (mean_sd,) = result.results
    assert mean_sd.span is not None and mean_sd.span.text_of(text) == "9.7 ± 5.4"
    (p,) = result.p_values
    assert p.span.text_of(text) == "P <\n0.001"


@pytest.mark.parametrize(
    ("text", "design"),
    [
        (
            "Acupuncture for pain: a systematic review and meta-analysis\nWe searched 5 databases.",
            "systematic_review",
        ),
        ("A crossover trial of acupressure\nPatients were randomized to sequences.", "crossover"),
        ("Protocol for a randomized trial\nParticipants will be randomly allocated.", "protocol"),
        (
            "Acupuncture users: a retrospective cohort study\nWe identified 1862 adults.",
            "observational",
        ),
        ("Cluster randomised trial of referral\nPractices were cluster randomised.", "cluster"),
        ("On acupuncture\nAn essay on mechanisms.", None),
    ],
)
def test_design_from_text(text: str, design: str | None) -> None:
    found = extract(text).design
    assert (found.value if found else None) == design


def test_indexing_wins_over_wording_for_design() -> None:
    text = "Acupuncture and nausea\nWe compared two approaches."
    assert extract(text, publication_types=("Randomized Controlled Trial",)).design is Design.RCT
    assert extract(text, mesh_terms=("Cross-Over Studies",)).design is Design.CROSSOVER


def test_conditions_and_outcomes_map_to_vocabulary_slugs() -> None:
    text = "Acupuncture for hemiparesis following stroke\nFMA and the Barthel Index improved; NIHSS did not."
    result = extract(text)
    assert result.conditions == ("post-stroke-hemiplegia",)
    assert result.outcomes == ("fma", "barthel-index", "nihss")


def test_json_shape_matches_the_cli_contract() -> None:
    data = extract(SEED).to_json()
    assert {
        "design",
        "n_total",
        "arms",
        "conditions",
        "outcomes",
        "results",
        "p_values",
        "cis",
    } <= set(data)
    kinds = [item["kind"] for item in data["results"]]
    assert kinds == ["mean_sd", "mean_sd", "difference"]
    difference = data["results"][2]["values"]
    assert difference == {"measure": "MD", "estimate": 2.78, "ci": [1.42, 4.15], "p": 0.001}
    assert data["results"][0]["values"] == {"mean": 8.86, "sd": 2.86, "n": 51}
    assert data["cis"][0]["level"] == 95


def test_consistency_checks_run_on_extracted_differences() -> None:
    findings = extract(SEED).findings
    codes = {item.finding.code: item.finding.level.value for item in findings}
    assert codes["difference"] == "ok" and codes["ci"] == "ok"
    assert all(item.span.text_of(SEED).startswith("difference 2.78") for item in findings)


def test_a_misprinted_difference_is_flagged() -> None:
    wrong = SEED.replace("difference 2.78", "difference 3.78")
    levels = {item.finding.code: item.finding.level.value for item in extract(wrong).findings}
    assert levels["difference"] == "fail"
