"""Bounded, structure-aware fuzzing of the importers.

tests/evidence/sources/test_robustness.py cuts and flips bytes; here the files stay
well-formed while their *contents* are random: every text node of a PubMed XML record,
every value of a ClinicalTrials.gov study (any JSON type in any place), every RIS line
and CSV cell. Each parser must, quickly, yield only records and RecordErrors (or raise
SourceReadError for a file with nothing readable); then the Django importer must store
the parsed records without an unexpected exception.
"""

from __future__ import annotations

import copy
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from acuevidence.evidence.records import RecordError, StudyRecord
from acuevidence.evidence.sources import SourceReadError, parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SECONDS_PER_FILE = 3.0

# Text that stresses parsers: numbers, dates, markup-like and control-adjacent characters.
WEIRD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "2024", "2024 Feb 30", "0", "-1", "NaN", "1e309", "<b>", "&amp;",
                     "NCT", "NCT0", "ChiCTR-", "\u00a0", "\u200b", "é", "𝔘", "9" * 40]),
)  # fmt: skip
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WEIRD_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WEIRD_TEXT, inner, max_size=3),
    max_leaves=8,
)


def parse(fmt: str, data: bytes) -> list[StudyRecord | RecordError]:
    started = time.perf_counter()
    try:
        results = list(parse_file(fmt, io.BytesIO(data)))
    except SourceReadError:
        results = []
    assert time.perf_counter() - started < SECONDS_PER_FILE
    assert all(isinstance(r, StudyRecord | RecordError) for r in results)
    return results


PUBMED = etree.fromstring((FIXTURES / "pubmed_rct_structured.xml").read_bytes())
TEXT_NODES = len([e for e in PUBMED.iter() if isinstance(e.tag, str)])


@FUZZ
@given(replacements=st.dictionaries(st.integers(0, TEXT_NODES - 1), WEIRD_TEXT, max_size=12))
def test_pubmed_xml_with_random_field_contents(replacements: dict[int, str]) -> None:
    root = copy.deepcopy(PUBMED)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    for index, text in replacements.items():
        cleaned = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
        elements[index].text = cleaned.replace("\x00", "")
    parse("pubmed", etree.tostring(root, xml_declaration=True, encoding="utf-8"))


CTGOV = json.loads((FIXTURES / "ctgov_completed_with_results.json").read_text())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


CTGOV_PATHS = _paths(CTGOV)[1:]


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, len(CTGOV_PATHS) - 1), JSON_VALUE), max_size=6))
def test_ctgov_json_with_any_value_anywhere(edits: list[tuple[int, Any]]) -> None:
    document = copy.deepcopy(CTGOV)
    for index, value in edits:
        *parents, last = CTGOV_PATHS[index]
        target: Any = document
        try:
            for key in parents:
                target = target[key]
            target[last] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced the branch this path went through
    parse("ctgov", json.dumps(document).encode())


RIS_TAGS = ["TY", "ER", "TI", "T1", "AU", "A1", "PY", "Y1", "DA", "AB", "N2", "KW", "JO", "JF",
            "DO", "AN", "UR", "SN", "VL", "IS", "SP", "EP", "ZZ", "  ", "T"]  # fmt: skip


@FUZZ
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(RIS_TAGS), st.sampled_from(["  - ", " - ", "  -", "-"]), WEIRD_TEXT
        ),
        max_size=40,
    ),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_ris_with_random_tags_and_values(lines: list[tuple[str, str, str]], newline: str) -> None:
    text = newline.join(f"{tag}{sep}{value}" for tag, sep, value in lines)
    parse("ris", text.encode("utf-8", "surrogatepass"))


CSV_HEADER = (FIXTURES / "manual_studies.csv").read_text().splitlines()[0]


@FUZZ
@given(rows=st.lists(st.lists(WEIRD_TEXT, max_size=len(CSV_HEADER.split(","))), max_size=6))
def test_csv_template_with_random_cells(rows: list[list[str]]) -> None:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER.split(","))
    writer.writerows(rows)
    parse("csv", out.getvalue().encode("utf-8", "surrogatepass"))


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(edits=st.lists(st.tuples(st.integers(0, len(CTGOV_PATHS) - 1), WEIRD_TEXT), max_size=4))
def test_the_django_importer_stores_fuzzed_records_or_reports_them(
    vocab: None, edits: list[tuple[int, str]]
) -> None:
    from acuevidence.ingest.services import batch_import, batch_start

    document = copy.deepcopy(CTGOV)
    for index, value in edits:
        *parents, last = CTGOV_PATHS[index]
        target: Any = document
        try:
            for key in parents:
                target = target[key]
            if isinstance(target[last], str):
                target[last] = value
        except (KeyError, IndexError, TypeError):
            continue
    results = parse("ctgov", json.dumps(document).encode())
    batch = batch_import(results, batch=batch_start(source="ctgov", origin="fuzz"))
    batch.refresh_from_db()
