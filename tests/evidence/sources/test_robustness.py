"""Truncated and garbled inputs never crash a parser.

Each parser either yields records and :class:`RecordError` s or, when nothing
in the file can be read, raises :class:`SourceReadError`; no other exception
may escape, whatever the bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acuevidence.evidence.records import RecordError, StudyRecord
from acuevidence.evidence.sources import SourceReadError, parse_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
SAMPLES = {
    "pubmed": (FIXTURES / "pubmed_rct_structured.xml").read_bytes(),
    "medline": (FIXTURES / "medline_acupuncture.nbib").read_bytes(),
    "ris": (FIXTURES / "ris_cochrane_central.ris").read_bytes(),
    "ctgov": (FIXTURES / "ctgov_completed_with_results.json").read_bytes(),
    "csv": (FIXTURES / "manual_studies.csv").read_bytes(),
}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(fmt: str, data: bytes) -> list[StudyRecord | RecordError]:
    try:
        results = list(parse_file(fmt, io.BytesIO(data)))
    except SourceReadError:
        return []
    assert all(isinstance(r, StudyRecord | RecordError) for r in results)
    return results


@FAST
@given(fmt=st.sampled_from(sorted(SAMPLES)), cut=st.floats(0, 1))
def test_truncated_files_never_crash(fmt: str, cut: float):
    data = SAMPLES[fmt]
    outcome(fmt, data[: int(len(data) * cut)])


@FAST
@given(
    fmt=st.sampled_from(sorted(SAMPLES)),
    edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=8)), max_size=6),
)
def test_garbled_bytes_never_crash(fmt: str, edits: list[tuple[float, bytes]]):
    data = bytearray(SAMPLES[fmt])
    for where, junk in edits:
        at = int(len(data) * where)
        data[at : at + len(junk)] = junk
    outcome(fmt, bytes(data))


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_any_parser(data: bytes):
    for fmt in SAMPLES:
        outcome(fmt, data)


def test_truncating_a_pubmed_file_keeps_the_records_before_the_cut():
    data = SAMPLES["pubmed"]
    cut = data.index(b"<PubmedArticle>", data.index(b"18200002")) - 1
    results = outcome("pubmed", data[: cut + 200])
    assert [type(r).__name__ for r in results] == ["StudyRecord", "StudyRecord", "RecordError"]
