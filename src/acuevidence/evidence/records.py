"""Plain data that flows between the stages of the evidence core.

Parsers (``evidence.sources``) produce :class:`StudyRecord`; the extractor
(``evidence.extract``) fills arms, per-arm results and comparisons, each with
the :class:`Span` of text it came from. The Django apps persist these records;
they never reinterpret them.

All classes are frozen dataclasses with tuples for sequences, so a record can be
hashed, compared and passed between processes safely.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Design(StrEnum):
    """Study design, coarse enough to be read reliably from an abstract or a registry."""

    RCT = "rct"
    CROSSOVER = "crossover"
    CLUSTER = "cluster"
    SYSTEMATIC_REVIEW = "systematic_review"
    PROTOCOL = "protocol"
    OBSERVATIONAL = "observational"
    OTHER = "other"


class Status(StrEnum):
    """Where a study stands: ``ongoing`` trials have no results yet."""

    ONGOING = "ongoing"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    UNKNOWN = "unknown"


class ResultKind(StrEnum):
    """The form in which a per-arm or between-arm number was reported."""

    MEAN_SD = "mean_sd"
    MEDIAN_IQR = "median_iqr"
    PROPORTION = "proportion"
    DIFFERENCE = "difference"
    RATIO = "ratio"


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in the text a value was read from."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def text_of(self, text: str) -> str:
        """Return the slice of ``text`` this span covers."""
        return text[self.start : self.end]

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True, slots=True)
class AbstractSection:
    """One labelled part of a structured abstract (label is ``""`` when unlabelled)."""

    label: str
    text: str
    category: str = ""


@dataclass(frozen=True, slots=True)
class Arm:
    """A group of participants and what they received."""

    label: str
    n: int | None = None
    therapy: str | None = None
    description: str = ""
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class ArmResult:
    """One outcome measured in one arm at one time point, in the form it was reported."""

    outcome: str | None
    arm: str | None
    kind: ResultKind
    timepoint: str | None = None
    n: int | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    events: int | None = None
    total: int | None = None
    percent: float | None = None
    printed: str = ""
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """A between-arm effect as reported: estimate, 95% CI and p-value.

    ``p_relation`` keeps the reported form of the p-value ("<", "=", ">") because
    "p<0.001" and "p=0.001" are different claims.
    """

    outcome: str | None
    measure: str | None
    estimate: float | None
    ci_lower: float | None = None
    ci_upper: float | None = None
    p_value: float | None = None
    p_relation: str | None = None
    timepoint: str | None = None
    arms: tuple[str, ...] = ()
    printed: str = ""
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class StudyRecord:
    """A study as one source describes it, normalized but not interpreted.

    ``record_number`` is the 1-based position in the source file, used in error
    reports. ``deleted`` marks MEDLINE ``DeleteCitation`` entries: the platform
    withdraws the stored study rather than deleting it.
    """

    source: str
    title: str = ""
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    nct_id: str | None = None
    registry_ids: tuple[str, ...] = ()
    abstract: str = ""
    abstract_sections: tuple[AbstractSection, ...] = ()
    journal: str = ""
    year: int | None = None
    authors: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    mesh_terms: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    language: str = ""
    status: Status | None = None
    deleted: bool = False
    design: Design | None = None
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    enrollment: int | None = None
    start_date: str | None = None
    completion_date: str | None = None
    arms: tuple[Arm, ...] = ()
    results: tuple[ArmResult, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    record_number: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def identifiers(self) -> dict[str, str]:
        """Every identifier this record carries, keyed by scheme (pmid, doi, pmcid, nct, ...)."""
        ids: dict[str, str] = {}
        for key in ("pmid", "doi", "pmcid", "nct_id"):
            value = getattr(self, key)
            if value:
                ids[key] = value
        return ids

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: enums as their values, spans as ``[start, end]`` lists."""
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"start", "end"}:
            return [value["start"], value["end"]]
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that could not be read: where it was, which field, and why.

    Parsers yield these in place of a record so that one bad record never stops
    the batch; the import report and the quarantine table show them to editors.
    """

    source: str
    record_number: int | None
    record_id: str | None
    field: str
    message: str
    raw: str = ""

    def __str__(self) -> str:
        where = f"record {self.record_number}" if self.record_number is not None else "record"
        if self.record_id:
            where += f" ({self.record_id})"
        return f"{self.source}: {where}, field {self.field!r}: {self.message}"
