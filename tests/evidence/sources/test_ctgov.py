"""ClinicalTrials.gov API v2 JSON parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acuevidence.evidence.records import Design, RecordError, ResultKind, Status, StudyRecord
from acuevidence.evidence.sources import SourceReadError
from acuevidence.evidence.sources.ctgov import parse_ctgov


def one(path: Path) -> StudyRecord:
    (record,) = parse_ctgov(path)
    assert isinstance(record, StudyRecord)
    return record


def test_completed_study_protocol_fields(fixtures: Path):
    study = one(fixtures / "ctgov_completed_with_results.json")
    assert study.nct_id == "NCT04400001"
    assert study.registry_ids == (
        "NCT04400001",
        "ChiCTR1900020001",
    )  # the NIH grant is not a registry id
    assert study.title.startswith("Electroacupuncture Versus Sham Electroacupuncture")
    assert study.extra["brief_title"] == "Electroacupuncture for Knee Osteoarthritis Pain"
    assert study.status is Status.COMPLETED and study.design is Design.RCT
    assert (study.enrollment, study.start_date, study.completion_date) == (
        120,
        "2019-10-08",
        "2021-09-30",
    )
    assert study.conditions == ("Knee Osteoarthritis",)
    assert study.interventions == ("Electroacupuncture", "Sham electroacupuncture")
    assert study.mesh_terms == ("Osteoarthritis, Knee",)
    assert [s.label for s in study.abstract_sections] == ["BRIEF SUMMARY", "DETAILED DESCRIPTION"]
    assert study.extra["primary_outcomes"] == ["Change in WOMAC pain score"]
    assert study.extra["eligibility"]["minimumAge"] == "45 Years"
    assert study.extra["countries"] == ["China"]
    assert study.extra["last_update_posted"] == "2023-05-04"
    assert "Wen Zhou" not in json.dumps(study.to_json())  # no personal names copied


def test_results_become_arms_results_and_comparisons(fixtures: Path):
    study = one(fixtures / "ctgov_completed_with_results.json")
    assert [(a.label, a.n) for a in study.arms] == [
        ("Electroacupuncture", 60),
        ("Sham electroacupuncture", 60),
    ]
    by_key = {(r.outcome, r.arm): r for r in study.results}
    pain = by_key[("Change in WOMAC Pain Score", "Electroacupuncture")]
    assert (pain.kind, pain.mean, pain.sd, pain.n) == (ResultKind.MEAN_SD, -4.8, 3.1, 56)
    assert pain.timepoint == "Baseline and week 8"
    responders = by_key[("Responders (At Least 30% Pain Reduction)", "Sham electroacupuncture")]
    assert (responders.kind, responders.events, responders.total) == (ResultKind.PROPORTION, 21, 55)
    tablets = by_key[("Analgesic Tablets Used", "Electroacupuncture")]
    assert (tablets.kind, tablets.median, tablets.q1, tablets.q3) == (
        ResultKind.MEDIAN_IQR,
        6.0,
        2.0,
        11.0,
    )
    satisfied = by_key[("Participants Satisfied With Treatment", "Electroacupuncture")]
    assert (satisfied.kind, satisfied.percent, satisfied.total) == (ResultKind.PROPORTION, 78.6, 56)
    assert (
        "Participants Satisfied With Treatment",
        "Sham electroacupuncture",
    ) not in by_key  # "NA"
    assert study.extra["unmapped_measurements"] == 1
    difference, ratio = study.comparisons
    assert (difference.measure, difference.estimate) == ("Mean Difference (Net)", -1.9)
    assert (difference.ci_lower, difference.ci_upper) == (-3.1, -0.7)
    assert (difference.p_relation, difference.p_value) == ("=", 0.002)
    assert difference.arms == ("Electroacupuncture", "Sham electroacupuncture")
    # a 90% interval is not stored as a 95% one; it stays in the printed form
    assert (ratio.ci_lower, ratio.ci_upper) == (None, None)
    assert "90% CI 1.12 to 2.25" in ratio.printed
    assert (ratio.p_relation, ratio.p_value) == ("<", 0.05)


def test_recruiting_crossover_study_is_ongoing(fixtures: Path):
    study = one(fixtures / "ctgov_recruiting.json")
    assert study.status is Status.ONGOING
    assert study.design is Design.CROSSOVER
    assert study.registry_ids == ("NCT06500002", "ISRCTN50000002", "2024-000002-11")
    assert study.results == () and study.comparisons == ()
    assert study.extra["enrollment_type"] == "ESTIMATED"


def test_search_pages_yield_every_study(fixtures: Path):
    page1 = list(parse_ctgov(fixtures / "ctgov_search_page1.json"))
    page2 = list(parse_ctgov(fixtures / "ctgov_search_page2.json"))
    assert [r.nct_id for r in page1 + page2 if isinstance(r, StudyRecord)] == [
        "NCT05900011",
        "NCT05900012",
        "NCT05900013",
    ]
    assert [r.status for r in page1 if isinstance(r, StudyRecord)] == [
        Status.ONGOING,
        Status.COMPLETED,
    ]
    assert all(
        isinstance(r, StudyRecord) and r.design is None for r in page1
    )  # design not requested


def test_bad_studies_are_errors_and_the_rest_parse(fixtures: Path):
    results = list(parse_ctgov(fixtures / "ctgov_malformed.json"))
    errors = [r for r in results if isinstance(r, RecordError)]
    assert [(e.record_number, e.record_id, e.field) for e in errors] == [
        (2, "NCT05900022", "enrollmentInfo.count"),
        (3, "NCT05900023", "startDateStruct.date"),
        (4, None, "nctId"),
    ]
    assert [r.nct_id for r in results if isinstance(r, StudyRecord)] == [
        "NCT05900021",
        "NCT05900025",
    ]


def test_invalid_json_is_unreadable(tmp_path: Path):
    broken = tmp_path / "page.json"
    broken.write_text('{"studies": [{"protocolSection": ')
    with pytest.raises(SourceReadError, match="not valid JSON"):
        list(parse_ctgov(broken))
