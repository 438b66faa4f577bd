"""``acuevidence parse``: JSON lines, readable listing, errors and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acuevidence.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
REQUIRED_KEYS = {
    "source", "pmid", "doi", "pmcid", "nct_id", "registry_ids", "title", "abstract",
    "abstract_sections", "journal", "year", "authors", "publication_types", "mesh_terms",
    "language", "status", "deleted",
}  # fmt: skip


@pytest.mark.parametrize(
    ("fmt", "name", "count"),
    [
        ("pubmed", "medline_update_with_deletes.xml.gz", 6),
        ("medline", "medline_acupuncture.nbib", 2),
        ("ris", "ris_cochrane_central.ris", 2),
        ("ctgov", "ctgov_completed_with_results.json", 1),
    ],
)
def test_json_lines_carry_the_required_keys(fmt, name, count, capsys: pytest.CaptureFixture[str]):
    assert main(["parse", fmt, str(FIXTURES / name), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == count
    for line in lines:
        assert set(json.loads(line)) >= REQUIRED_KEYS


def test_abstract_sections_and_deleted_flag_in_json(capsys: pytest.CaptureFixture[str]):
    main(["parse", "pubmed", str(FIXTURES / "medline_update_with_deletes.xml.gz"), "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["abstract_sections"][0] == {
        "label": "OBJECTIVE",
        "text": "To test whether acupuncture improves sleep after stroke.",
        "category": "OBJECTIVE",
    }
    assert [row["deleted"] for row in rows] == [False] * 3 + [True] * 3


def test_record_errors_go_to_stderr_with_file_record_and_field(capsys: pytest.CaptureFixture[str]):
    path = FIXTURES / "pubmed_malformed.xml"
    assert main(["parse", "pubmed", str(path)]) == 1
    captured = capsys.readouterr()
    assert "2 records, 3 errors" in captured.out
    error_lines = captured.err.splitlines()
    assert len(error_lines) == 3
    assert error_lines[2].startswith(f"{path}: record 4 (35000014), field 'PubDate'")


def test_listing_shows_ids_years_and_titles(capsys: pytest.CaptureFixture[str]):
    main(["parse", "ctgov", str(FIXTURES / "ctgov_search_page1.json")])
    out = capsys.readouterr().out
    assert "NCT05900011" in out and "2024" in out and "Acupuncture for Dysphagia" in out


def test_unreadable_file_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "missing.ris"
    assert main(["parse", "ris", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err
