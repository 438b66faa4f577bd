"""PubMed's MEDLINE text format (``.nbib``, "Send to: File, Format: MEDLINE").

Each line is a tag padded to four characters, ``"- "`` and a value
(``PMID- 12345678``, ``AB  - ...``); a value that wraps continues on lines
indented by six spaces. Records are separated by blank lines and always start
with ``PMID-``. Old exports start with a blank line and carry tags that are no
longer written (``DA``, ``PUBM``); unknown tags are ignored.

The abstract is one paragraph; inline headings such as ``BACKGROUND:`` are
turned into labelled sections so the result matches what the XML gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from acuevidence.evidence.records import AbstractSection, RecordError, StudyRecord
from acuevidence.evidence.sources.common import (
    ParseResult,
    Source,
    design_from_indexing,
    read_text_lines,
    registry_ids_in,
    source_name,
    unique,
    year_from_text,
)

SOURCE = "pubmed"
_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
_ARTICLE_ID = re.compile(r"^(.*?)\s*\[(\w+)\]$")
_HEADING = re.compile(r"(?:^|(?<=[.?!] ))([A-Z][A-Z ,/&-]{2,48}[A-Z]): ")

Fields = dict[str, list[str]]


def parse_medline(source: Source) -> Iterator[ParseResult]:
    """Yield a :class:`StudyRecord` or :class:`RecordError` per record of a MEDLINE text file."""
    name = source_name(source)
    for number, (fields, raw) in enumerate(_records(read_text_lines(source)), start=1):
        pmid = _first(fields, "PMID")
        if not pmid.isdigit():
            yield RecordError(
                name, number, None, "PMID", f"missing or non-numeric PMID {pmid!r}", raw
            )
            continue
        year_text = _first(fields, "DP")
        year = year_from_text(year_text)
        if year_text and year is None:
            yield RecordError(name, number, pmid, "DP", f"no plausible year in {year_text!r}", raw)
            continue
        yield _study(fields, pmid, year, number)


def _records(lines: Iterator[str]) -> Iterator[tuple[Fields, str]]:
    """Group lines into records: a dict of tag -> values, and the raw text."""
    fields: Fields = {}
    raw: list[str] = []
    last_tag = ""
    for line in lines:
        match = _LINE.match(line) if line[:1] != " " else None
        if not line.strip() or (match and match.group(1) == "PMID" and fields):
            if fields:
                yield fields, "\n".join(raw)
            fields, raw, last_tag = {}, [], ""
            if not line.strip():
                continue
        raw.append(line)
        if match:
            last_tag = match.group(1)
            fields.setdefault(last_tag, []).append(match.group(2).strip())
        elif last_tag:
            values = fields[last_tag]
            values[-1] = f"{values[-1]} {line.strip()}".strip()
    if fields:
        yield fields, "\n".join(raw)


def _first(fields: Fields, tag: str) -> str:
    values = fields.get(tag)
    return values[0] if values else ""


def _study(fields: Fields, pmid: str, year: int | None, number: int) -> StudyRecord:
    ids = _article_ids(fields.get("AID", []) + fields.get("LID", []))
    abstract = _first(fields, "AB")
    sections = split_inline_headings(abstract)
    registry = unique(
        [i for value in fields.get("SI", []) for i in registry_ids_in(value.split("/")[-1])]
    )
    publication_types = unique(fields.get("PT", []))
    mesh = unique([_descriptor(h) for h in fields.get("MH", [])])
    return StudyRecord(
        source=SOURCE,
        title=_first(fields, "TI") or _first(fields, "TT"),
        pmid=pmid,
        doi=ids.get("doi"),
        pmcid=_first(fields, "PMC") or ids.get("pmc"),
        nct_id=next((i for i in registry if i.startswith("NCT")), None),
        registry_ids=registry,
        abstract="\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in sections),
        abstract_sections=sections,
        journal=_first(fields, "JT") or _first(fields, "TA"),
        year=year,
        authors=unique(fields.get("AU", []) + fields.get("CN", [])),
        publication_types=publication_types,
        mesh_terms=mesh,
        keywords=unique(fields.get("OT", [])),
        language=_first(fields, "LA"),
        design=design_from_indexing(publication_types, mesh),
        record_number=number,
        extra={
            key: value
            for key, value in {
                "pii": ids.get("pii"),
                "journal_abbreviation": _first(fields, "TA"),
                "medline_status": _first(fields, "STAT"),
                "entrez_date": _slash_date(_first(fields, "EDAT")),
                "date_revised": _compact_date(_first(fields, "LR")),
                "registry_ids_in_abstract": [
                    i for i in registry_ids_in(abstract) if i not in registry
                ],
            }.items()
            if value
        },
    )


def split_inline_headings(abstract: str) -> tuple[AbstractSection, ...]:
    """Split "BACKGROUND: ... METHODS: ..." into labelled sections; plain text stays whole."""
    if not abstract:
        return ()
    matches = list(_HEADING.finditer(abstract))
    if not matches or matches[0].start() != 0:
        return (AbstractSection(label="", text=abstract),)
    sections = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(abstract)
        sections.append(
            AbstractSection(label=match.group(1), text=abstract[match.end() : end].strip())
        )
    return tuple(sections)


def _article_ids(values: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for value in values:
        match = _ARTICLE_ID.match(value)
        if match:
            ids.setdefault(match.group(2), match.group(1))
    return ids


def _descriptor(heading: str) -> str:
    """``"Sequence Alignment/*methods"`` -> ``"Sequence Alignment"`` (major-topic star dropped)."""
    return heading.split("/")[0].lstrip("*").strip()


def _slash_date(value: str) -> str:
    """``"2002/09/17 10:00"`` -> ``"2002-09-17"``."""
    parts = value.split(" ")[0].split("/")
    return "-".join(parts) if len(parts) == 3 and all(p.isdigit() for p in parts) else ""


def _compact_date(value: str) -> str:
    """``"20041117"`` -> ``"2004-11-17"``."""
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 and value.isdigit() else ""
