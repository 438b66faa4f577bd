"""A CSV template for entering studies by hand, with their arms and per-arm results.

One row per arm and outcome; consecutive rows with the same ``study_id`` form
one study, and the study-level columns (title, year, ...) are read from the
first of them. List-valued columns (authors, registry_ids, conditions,
interventions) separate items with ``;``. ``result_kind`` is one of the
:class:`~acuevidence.evidence.records.ResultKind` values; leave the outcome
columns empty for a row that only describes an arm.

The template with worked example rows is ``templates/studies_template.csv``
(:func:`template_path`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from acuevidence.evidence.records import (
    Arm,
    ArmResult,
    Design,
    RecordError,
    ResultKind,
    Status,
    StudyRecord,
)
from acuevidence.evidence.sources.common import (
    ParseResult,
    Source,
    SourceReadError,
    read_text_lines,
    source_name,
    unique,
)

SOURCE = "manual"
COLUMNS = (
    "study_id", "title", "authors", "year", "journal", "doi", "pmid", "nct_id", "registry_ids",
    "design", "status", "conditions", "interventions", "enrollment", "abstract",
    "arm", "arm_n", "arm_therapy", "outcome", "timepoint", "result_kind",
    "n", "mean", "sd", "median", "q1", "q3", "events", "total", "percent",
)  # fmt: skip

Row = dict[str, str]


class _CellError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def template_path() -> Path:
    """Where the blank template with example rows is installed."""
    return Path(__file__).with_name("templates") / "studies_template.csv"


def parse_csv_template(source: Source) -> Iterator[ParseResult]:
    """Yield one record (or error) per study in a filled-in template."""
    name = source_name(source)
    reader = csv.DictReader(read_text_lines(source))
    missing = [c for c in ("study_id", "title") if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceReadError(f"{name}: not the studies template (missing columns {missing})")
    for number, (study_id, rows) in enumerate(_studies(reader), start=1):
        raw = "\n".join(",".join(row.values()) for _, row in rows)
        try:
            yield _study(study_id, rows, number)
        except _CellError as exc:
            yield RecordError(name, number, study_id, exc.field, exc.message, raw)


def _studies(reader: csv.DictReader[str]) -> Iterator[tuple[str, list[tuple[int, Row]]]]:
    """Group consecutive rows by study_id, keeping each row's line number for errors."""
    current: str | None = None
    rows: list[tuple[int, Row]] = []
    for row in reader:
        cleaned = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(cleaned.values()):
            continue
        study_id = cleaned.get("study_id", "")
        if rows and study_id != current:
            yield current or "", rows
            rows = []
        current = study_id
        rows.append((reader.line_num, cleaned))
    if rows:
        yield current or "", rows


def _split(value: str) -> tuple[str, ...]:
    return unique([item.strip() for item in value.split(";")])


def _int(row: Row, column: str, line: int) -> int | None:
    value = row.get(column, "")
    try:
        return int(value) if value else None
    except ValueError:
        raise _CellError(f"line {line} column {column}", f"not a whole number: {value!r}") from None


def _float(row: Row, column: str, line: int) -> float | None:
    value = row.get(column, "")
    try:
        return float(value) if value else None
    except ValueError:
        raise _CellError(f"line {line} column {column}", f"not a number: {value!r}") from None


_E = TypeVar("_E", Design, Status, ResultKind)


def _enum(row: Row, column: str, line: int, kind: type[_E]) -> _E | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        message = f"{value!r} is not one of {allowed}"
        raise _CellError(f"line {line} column {column}", message) from None


def _study(study_id: str, rows: list[tuple[int, Row]], number: int) -> StudyRecord:
    if not study_id:
        raise _CellError(f"line {rows[0][0]} column study_id", "study_id is empty")
    line, first = rows[0]
    if not first.get("title"):
        raise _CellError(f"line {line} column title", "the first row of a study needs a title")
    arms: dict[str, Arm] = {}
    results: list[ArmResult] = []
    for row_line, row in rows:
        arm = row.get("arm", "")
        if arm and arm not in arms:
            therapy = row.get("arm_therapy") or None
            arms[arm] = Arm(label=arm, n=_int(row, "arm_n", row_line), therapy=therapy)
        if row.get("outcome"):
            results.append(_result(row, row_line))
    registry = _split(first.get("registry_ids", ""))
    nct_id = first.get("nct_id") or None
    return StudyRecord(
        source=SOURCE,
        title=first["title"],
        pmid=first.get("pmid") or None,
        doi=first.get("doi") or None,
        nct_id=nct_id,
        registry_ids=unique([nct_id or "", *registry]),
        abstract=first.get("abstract", ""),
        journal=first.get("journal", ""),
        year=_int(first, "year", line),
        authors=_split(first.get("authors", "")),
        status=_enum(first, "status", line, Status),
        design=_enum(first, "design", line, Design),
        conditions=_split(first.get("conditions", "")),
        interventions=_split(first.get("interventions", "")),
        enrollment=_int(first, "enrollment", line),
        arms=tuple(arms.values()),
        results=tuple(results),
        record_number=number,
        extra={"study_id": study_id},
    )


def _result(row: Row, line: int) -> ArmResult:
    kind = _enum(row, "result_kind", line, ResultKind)
    if kind is None:
        raise _CellError(f"line {line} column result_kind", "an outcome row needs a result_kind")
    return ArmResult(
        outcome=row["outcome"],
        arm=row.get("arm") or None,
        kind=kind,
        timepoint=row.get("timepoint") or None,
        n=_int(row, "n", line),
        mean=_float(row, "mean", line),
        sd=_float(row, "sd", line),
        median=_float(row, "median", line),
        q1=_float(row, "q1", line),
        q3=_float(row, "q3", line),
        events=_int(row, "events", line),
        total=_int(row, "total", line),
        percent=_float(row, "percent", line),
    )
