"""MEDLINE/.nbib text parser."""

from __future__ import annotations

from pathlib import Path

from acuevidence.evidence.records import Design, RecordError, StudyRecord
from acuevidence.evidence.sources.medline import parse_medline, split_inline_headings


def test_leading_blank_line_continuations_and_inline_headings(fixtures: Path):
    first, second = parse_medline(fixtures / "medline_acupuncture.nbib")
    assert isinstance(first, StudyRecord) and isinstance(second, StudyRecord)
    assert first.title == (
        "Acupuncture versus sham acupuncture for chronic tension-type headache: "
        "a randomized controlled trial."
    )
    assert [s.label for s in first.abstract_sections] == [
        "BACKGROUND",
        "METHODS",
        "RESULTS",
        "CONCLUSIONS",
        "TRIAL REGISTRATION",
    ]
    assert "(mean difference -2.1, 95% CI -3.2 to -1.0)" in first.abstract_sections[2].text
    assert first.abstract.startswith("BACKGROUND: Tension-type headache")


def test_ids_authors_indexing_and_registry(fixtures: Path):
    first, second = parse_medline(fixtures / "medline_acupuncture.nbib")
    assert isinstance(first, StudyRecord) and isinstance(second, StudyRecord)
    assert (first.pmid, first.doi, first.pmcid) == (
        "38800021",
        "10.5555/jinr.2024.0021",
        "PMC11800021",
    )
    assert first.extra["pii"] == "S0000-0000(24)00021-9"
    assert first.authors == ("Bergstrom A", "Mensah K", "Headache Needling Collaborative")
    assert first.journal == "Journal of integrative needling research"
    assert first.year == 2024
    assert first.mesh_terms == ("Acupuncture Therapy", "Adult", "Humans", "Tension-Type Headache")
    assert first.keywords == ("acupuncture", "headache")
    assert first.registry_ids == ("NCT05800021",) and first.nct_id == "NCT05800021"
    assert first.design is Design.RCT
    assert first.extra["entrez_date"] == "2024-05-21"
    assert second.year == 2007  # "2007 Summer"
    assert second.language == "por"
    assert second.abstract_sections[0].label == ""


def test_missing_pmid_and_yearless_date_are_errors_in_place(fixtures: Path):
    results = list(parse_medline(fixtures / "medline_malformed.nbib"))
    assert [type(r).__name__ for r in results] == [
        "StudyRecord",
        "RecordError",
        "RecordError",
        "StudyRecord",
    ]
    no_pmid, no_year = results[1], results[2]
    assert isinstance(no_pmid, RecordError) and no_pmid.field == "PMID"
    assert no_pmid.record_number == 2
    assert "without its PMID" in no_pmid.raw
    assert isinstance(no_year, RecordError)
    assert (no_year.record_id, no_year.field) == ("38800033", "DP")


def test_heading_split_needs_a_heading_at_the_start():
    text = "We tried ACUPUNCTURE: it helped. RESULTS: better."
    assert [s.label for s in split_inline_headings(text)] == [""]
    assert [s.label for s in split_inline_headings("AIMS: to test. METHODS AND RESULTS: ok.")] == [
        "AIMS",
        "METHODS AND RESULTS",
    ]
