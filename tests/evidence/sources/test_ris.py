"""RIS parser across exporters' variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from acuevidence.evidence.records import RecordError, StudyRecord
from acuevidence.evidence.sources.ris import parse_ris


def only_records(path: Path) -> list[StudyRecord]:
    results = list(parse_ris(path))
    assert all(isinstance(r, StudyRecord) for r in results), results
    return [r for r in results if isinstance(r, StudyRecord)]


def test_cochrane_central_preamble_and_two_spaces_after_the_hyphen(fixtures: Path):
    first, second = only_records(fixtures / "ris_cochrane_central.ris")
    assert first.title.startswith("Acupuncture for hot flushes after breast cancer")
    assert first.authors == ("Fairweather, L", "Nakamura, K")
    assert (first.pmid, first.doi, first.year) == ("33900001", "10.5555/trials.2021.0301", 2021)
    assert first.journal == "Trials"
    assert first.extra["central_id"] == "CN-09900001"
    assert first.extra["registry_ids_in_abstract"] == ["ISRCTN40000001"]
    assert "Breast Neoplasms [*therapy]" in first.keywords
    assert second.pmid == "31000002"  # "PUBMED 31000002,EMBASE 600000002"
    assert second.doi is None


@pytest.mark.parametrize(
    ("name", "title_start", "year", "journal"),
    [
        ("ris_scopus_bom.ris", "Electroacupuncture for post-operative ileus", 2023, "Example Surgical Journal"),
        ("ris_zotero_crlf.ris", "Laser acupuncture for knee osteoarthritis", 2020, "Example Journal of Geriatric Care"),
        ("ris_refworks.ris", "Acupressure wristbands for nausea", 2018, "Example Anaesthesia Reports"),
    ],
)  # fmt: skip
def test_exporter_variants_read_alike(
    fixtures: Path, name: str, title_start: str, year: int, journal: str
):
    first = only_records(fixtures / name)[0]
    assert first.title.startswith(title_start)
    assert first.year == year
    assert first.journal == journal
    assert first.doi and first.doi.startswith("10.5555/")
    assert first.authors and all("\r" not in a and "\ufeff" not in a for a in first.authors)
    assert first.extra["ris_type"] == "JOUR"


def test_refworks_tag_set_and_reference_id(fixtures: Path):
    (record,) = only_records(fixtures / "ris_refworks.ris")
    assert record.authors == ("Okafor, N.", "Duarte, R. M.")
    assert record.extra["reference_id"] == "RefID:101-okafor2018acupressure"
    assert record.keywords == ("acupressure", "postoperative nausea and vomiting")


def test_bom_does_not_hide_the_first_record(fixtures: Path):
    assert (fixtures / "ris_scopus_bom.ris").read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(only_records(fixtures / "ris_scopus_bom.ris")) == 2


def test_stray_lines_bad_year_and_unclosed_record_are_errors(fixtures: Path):
    results = list(parse_ris(fixtures / "ris_malformed.ris"))
    kinds = [(type(r).__name__, getattr(r, "field", None)) for r in results]
    assert kinds == [
        ("RecordError", "TY"),
        ("StudyRecord", None),
        ("RecordError", "PY"),
        ("RecordError", "ER"),
    ]
    unclosed = results[3]
    assert isinstance(unclosed, RecordError) and "Fire needling" in unclosed.raw
