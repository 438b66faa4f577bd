"""RIS exports (``TY  - JOUR`` ... ``ER  - ``) from databases and reference managers.

Variants met in real exports and handled here:

* a UTF-8 byte-order mark before the first ``TY`` (Scopus), CRLF line endings
  (Zotero), blank lines before the first record (RefWorks);
* Cochrane CENTRAL's ``Record #3 of 18`` / ``Provider:`` / ``Content:`` preamble
  before each record, and two spaces after the hyphen (``TY  -  JOUR``);
* the older ``T1``/``A1``/``Y1``/``JF`` tag set (RefWorks, Embase) beside the
  newer ``TI``/``AU``/``PY``/``T2`` one;
* lines without a tag inside a record, taken as a wrapped continuation.

Identifiers other exports hide in free-form tags are recovered: Cochrane's
``C3  -  PUBMED 21314913`` and Embase's ``C5`` give the PMID, ``AN  - CN-...`` the
CENTRAL accession.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from acuevidence.evidence.records import AbstractSection, RecordError, StudyRecord
from acuevidence.evidence.sources.common import (
    ParseResult,
    Source,
    read_text_lines,
    registry_ids_in,
    source_name,
    unique,
    year_from_text,
)

SOURCE = "ris"
_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: +(.*))?$")
_PUBMED_XREF = re.compile(r"\bPUBMED\s+(\d+)")
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")

# Tag preference lists: the first tag present wins.
_TITLE = ("TI", "T1", "CT")
_JOURNAL = ("JF", "T2", "JO", "JA", "J2")
_YEAR = ("PY", "Y1", "DA")
_ABSTRACT = ("AB", "N2")
_AUTHORS = ("AU", "A1")

Fields = dict[str, list[str]]


def parse_ris(source: Source) -> Iterator[ParseResult]:
    """Yield a :class:`StudyRecord` or :class:`RecordError` for each ``TY`` ... ``ER`` record."""
    name = source_name(source)
    for number, (fields, raw, problem) in enumerate(_records(read_text_lines(source)), start=1):
        if problem:
            yield RecordError(name, number, _record_id(fields), *problem, raw)
            continue
        year_text = next((fields[t][0] for t in _YEAR if fields.get(t)), "")
        year = year_from_text(year_text)
        if year_text and year is None:
            message = f"no plausible year in {year_text!r}"
            yield RecordError(name, number, _record_id(fields), "PY", message, raw)
            continue
        yield _study(fields, year, number)


def _records(lines: Iterator[str]) -> Iterator[tuple[Fields, str, tuple[str, str] | None]]:
    """Group lines into records; a record not opened by TY or not closed by ER has a problem.

    Tagged lines outside any record are gathered into one problem record, so
    that a stray fragment is reported once rather than line by line.
    """
    fields: Fields | None = None
    stray: Fields = {}
    raw: list[str] = []
    last_tag = ""
    for line in lines:
        match = _LINE.match(line.rstrip())
        tag = match.group(1) if match else ""
        value = (match.group(2) or "").strip() if match else ""
        if tag == "TY":
            if stray:
                yield stray, "\n".join(raw), ("TY", "tagged lines outside a record (no TY)")
            elif fields is not None:
                yield fields, "\n".join(raw), ("ER", "record not closed by ER before the next TY")
            fields, stray, raw, last_tag = {"TY": [value]}, {}, [line], "TY"
        elif fields is None:
            if tag and tag != "ER":
                stray.setdefault(tag, []).append(value)
                raw.append(line)
        elif tag == "ER":
            raw.append(line)
            yield fields, "\n".join(raw), None
            fields, raw, last_tag = None, [], ""
        elif tag:
            raw.append(line)
            fields.setdefault(tag, []).append(value)
            last_tag = tag
        elif line.strip():
            raw.append(line)
            values = fields[last_tag]
            values[-1] = f"{values[-1]} {line.strip()}".strip()
    if stray:
        yield stray, "\n".join(raw), ("TY", "tagged lines outside a record (no TY)")
    elif fields is not None:
        yield fields, "\n".join(raw), ("ER", "file ends inside a record (no ER)")


def _first(fields: Fields, tags: tuple[str, ...]) -> str:
    return next((fields[t][0] for t in tags if fields.get(t) and fields[t][0]), "")


def _record_id(fields: Fields) -> str | None:
    return _first(fields, ("DO", "AN", "ID")) or _pmid(fields) or None


def _pmid(fields: Fields) -> str | None:
    for value in fields.get("C3", []):
        match = _PUBMED_XREF.search(value)
        if match:
            return match.group(1)
    embase_pmid = _first(fields, ("C5",))
    return embase_pmid if embase_pmid.isdigit() else None


def _doi(fields: Fields) -> str | None:
    for value in fields.get("DO", []) + fields.get("L2", []) + fields.get("UR", []):
        match = _DOI.search(value)
        if match:
            return match.group(0).rstrip(".")
    return None


def _study(fields: Fields, year: int | None, number: int) -> StudyRecord:
    abstract = _first(fields, _ABSTRACT)
    author_tag = next((t for t in _AUTHORS if fields.get(t)), "AU")
    accession = _first(fields, ("AN",))
    return StudyRecord(
        source=SOURCE,
        title=_first(fields, _TITLE),
        pmid=_pmid(fields),
        doi=_doi(fields),
        abstract=abstract,
        abstract_sections=(AbstractSection(label="", text=abstract),) if abstract else (),
        journal=_first(fields, _JOURNAL),
        year=year,
        authors=unique(fields.get(author_tag, [])),
        publication_types=unique(fields.get("M3", []) + fields.get("TY", [])),
        keywords=unique(fields.get("KW", [])),
        language=_first(fields, ("LA",)),
        record_number=number,
        extra={
            key: value
            for key, value in {
                "ris_type": _first(fields, ("TY",)),
                "accession_number": accession,
                "central_id": accession if accession.startswith("CN-") else "",
                "reference_id": _first(fields, ("ID",)),
                "url": _first(fields, ("UR",)),
                "databases": fields.get("DB", []),
                "registry_ids_in_abstract": registry_ids_in(abstract),
            }.items()
            if value
        },
    )
