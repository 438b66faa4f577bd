"""PubMed XML parser: efetch output, MEDLINE update files, damaged records."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from acuevidence.evidence.records import Design, RecordError, StudyRecord
from acuevidence.evidence.sources import SourceReadError, parse_file
from acuevidence.evidence.sources.pubmed import parse_pubmed


def records(path: Path) -> list[StudyRecord]:
    results = list(parse_pubmed(path))
    assert all(isinstance(r, StudyRecord) for r in results), results
    return [r for r in results if isinstance(r, StudyRecord)]


def test_structured_abstract_keeps_labels_categories_and_inline_markup_text(fixtures: Path):
    rct = records(fixtures / "pubmed_rct_structured.xml")[0]
    labels = [(s.label, s.category) for s in rct.abstract_sections]
    assert labels == [
        ("BACKGROUND", "BACKGROUND"),
        ("METHODS", "METHODS"),
        ("RESULTS", "RESULTS"),
        ("CONCLUSIONS", "CONCLUSIONS"),
        ("TRIAL REGISTRATION", "BACKGROUND"),
    ]
    methods = rct.abstract_sections[1].text
    assert "IL-1β and body mass index (kg/m2)" in methods
    assert "(SpO2)" in methods
    assert "P < 0.001" in rct.abstract_sections[2].text
    assert rct.abstract.startswith("BACKGROUND: Shoulder pain after stroke")
    assert "\nMETHODS: We randomly assigned 120 adults" in rct.abstract
    assert rct.title.startswith("Electroacupuncture at ST36 versus sham needling for post-stroke")


def test_article_ids_journal_authors_and_indexing(fixtures: Path):
    rct = records(fixtures / "pubmed_rct_structured.xml")[0]
    assert (rct.pmid, rct.doi, rct.pmcid) == ("39100001", "10.5555/jinr.2024.0042", "PMC11900001")
    assert rct.extra["pii"] == "S0000-0000(24)00042-1"
    assert rct.journal == "Journal of integrative needling research"
    assert rct.year == 2024
    assert rct.authors == ("Lindqvist MA", "Zhou W", "Stroke Needling Trial Group")
    assert "Randomized Controlled Trial" in rct.publication_types
    assert rct.design is Design.RCT
    assert rct.mesh_terms == ("Acupuncture Therapy", "Humans", "Stroke", "Shoulder Pain")
    assert rct.keywords == ("electroacupuncture", "hemiplegic shoulder pain")
    assert rct.language == "eng"
    assert rct.extra["entrez_date"] == "2024-07-31"
    assert rct.extra["date_revised"] == "2024-10-02"


def test_reference_list_ids_do_not_leak_into_the_article(fixtures: Path):
    rct = records(fixtures / "pubmed_rct_structured.xml")[0]
    assert rct.doi != "10.5555/jinr.2019.0007"


def test_registry_numbers_come_from_trial_registries_in_databanklist(fixtures: Path):
    rct, moxa, _ = records(fixtures / "pubmed_rct_structured.xml")
    assert rct.registry_ids == ("NCT05500001", "ChiCTR2300070001")  # figshare is not a registry
    assert rct.nct_id == "NCT05500001"
    assert moxa.registry_ids == ("ISRCTN12000002",)
    assert moxa.nct_id is None


def test_medline_date_season_and_missing_abstract(fixtures: Path):
    _, moxa, review = records(fixtures / "pubmed_rct_structured.xml")
    assert moxa.year == 2007  # MedlineDate "2007 Dec-2008 Jan"
    assert moxa.abstract == "" and moxa.abstract_sections == ()
    assert moxa.language == "chi"
    assert moxa.extra["vernacular_title"].startswith("Invented vernacular title")
    assert review.year == 1990  # Year with Season "Spring"
    assert review.publication_types == ("Journal Article", "Review")


def test_book_article_and_journal_article_in_one_set(fixtures: Path):
    book, article = records(fixtures / "pubmed_book_and_article.xml")
    assert book.pmid == "20300004"
    assert book.title == "Auricular Acupuncture for Anxiety"
    assert book.journal == "NeedleReviews®"
    assert book.authors == ("Marsh TJ",)  # editors are not authors
    assert book.publication_types == ("Review",)
    assert [s.label for s in book.abstract_sections] == ["CLINICAL CHARACTERISTICS", "MANAGEMENT"]
    assert book.extra["book_accession"] == "NBK900004"
    assert article.design is Design.CROSSOVER
    assert article.abstract_sections[0].label == ""
    assert article.abstract.startswith("Twenty students")


def test_update_file_is_gunzipped_and_delete_citations_become_withdrawn_records(fixtures: Path):
    results = records(fixtures / "medline_update_with_deletes.xml.gz")
    live = [r for r in results if not r.deleted]
    deleted = [r for r in results if r.deleted]
    assert [r.pmid for r in live] == ["41600101", "41600102", "41600103"]
    assert [r.pmid for r in deleted] == ["31000201", "31000202", "31000203"]
    assert [r.record_number for r in results] == [1, 2, 3, 4, 5, 6]
    assert live[1].extra["pmid_version"] == "2"


def test_damaged_records_become_errors_and_the_rest_still_parse(fixtures: Path):
    path = fixtures / "pubmed_malformed.xml"
    results = list(parse_pubmed(path))
    assert [type(r).__name__ for r in results] == [
        "StudyRecord",
        "RecordError",
        "RecordError",
        "RecordError",
        "StudyRecord",
    ]
    bad_xml, no_pmid, bad_date = results[1:4]
    assert isinstance(bad_xml, RecordError)
    assert (bad_xml.record_number, bad_xml.record_id, bad_xml.field) == (2, "35000012", "xml")
    assert bad_xml.source == str(path)
    assert "Gua sha" in bad_xml.raw
    assert isinstance(no_pmid, RecordError) and no_pmid.field == "PMID"
    assert isinstance(bad_date, RecordError)
    assert (bad_date.record_id, bad_date.field) == ("35000014", "PubDate")
    assert "2022-02-30" in bad_date.message
    assert str(path) in str(bad_date)


def test_truncated_file_yields_complete_records_then_one_error(fixtures: Path):
    data = gzip.decompress((fixtures / "medline_update_with_deletes.xml.gz").read_bytes())
    cut = data.index(b"</PubmedArticle>", data.index(b"41600102")) - 40
    results = list(parse_pubmed(io.BytesIO(data[:cut])))
    assert isinstance(results[0], StudyRecord) and results[0].pmid == "41600101"
    assert isinstance(results[1], RecordError)
    assert results[1].record_id == "41600102" and "not closed" in results[1].message
    assert len(results) == 2


def test_unclosed_record_in_the_middle_does_not_swallow_the_next(fixtures: Path):
    data = gzip.decompress((fixtures / "medline_update_with_deletes.xml.gz").read_bytes())
    first_end = data.index(b"</PubmedArticle>")
    damaged = data[:first_end] + data[first_end + len(b"</PubmedArticle>") :]
    results = list(parse_pubmed(io.BytesIO(damaged)))
    assert isinstance(results[0], RecordError) and results[0].record_id == "41600101"
    assert [r.pmid for r in results[1:] if isinstance(r, StudyRecord)][:2] == [
        "41600102",
        "41600103",
    ]


def test_record_split_across_read_buffers_parses(monkeypatch: pytest.MonkeyPatch, fixtures: Path):
    from acuevidence.evidence.sources import pubmed

    monkeypatch.setattr(pubmed, "_CHUNK", 97)
    assert [r.pmid for r in records(fixtures / "pubmed_rct_structured.xml")] == [
        "39100001",
        "18200002",
        "2300003",
    ]


def test_text_and_binary_streams_parse_like_the_file(fixtures: Path):
    path = fixtures / "pubmed_rct_structured.xml"
    from_text = list(parse_pubmed(io.StringIO(path.read_text(encoding="utf-8"))))
    from_bytes = list(parse_pubmed(io.BytesIO(path.read_bytes())))
    assert from_text == from_bytes == list(parse_pubmed(path))


def test_missing_file_raises_a_clear_error_naming_it(tmp_path: Path):
    missing = tmp_path / "nope.xml"
    with pytest.raises(SourceReadError, match=r"nope\.xml"):
        list(parse_file("pubmed", missing))


def test_a_file_that_is_not_pubmed_xml_is_rejected_as_a_whole(tmp_path: Path):
    ris = tmp_path / "export.ris"
    ris.write_text("TY  - JOUR\nTI  - Cupping\nER  - \n")
    with pytest.raises(SourceReadError, match=r"export\.ris: not PubMed XML"):
        list(parse_pubmed(ris))


def test_empty_article_set_yields_nothing():
    assert list(parse_pubmed(io.BytesIO(b"<?xml version='1.0'?><PubmedArticleSet/>"))) == []
