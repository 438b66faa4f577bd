"""What every parser shares: opening a path or stream, naming it in errors, reading years.

Parsers accept either a filesystem path or an already open stream (a file, an
HTTP response body wrapped in :class:`io.BytesIO`, ...). Gzip is recognised by
its magic bytes rather than by the file name, because NLM's update files and
uploads through the admin do not always keep their ``.gz`` suffix.
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

from acuevidence.evidence.records import Design, RecordError, StudyRecord

Source = str | os.PathLike[str] | IO[bytes] | IO[str]
"""A path, or an open binary or text stream."""

ParseResult = StudyRecord | RecordError
"""What every parser yields: a record, or an error standing in its place."""

_GZIP_MAGIC = b"\x1f\x8b"
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")

# Trial registries whose identifiers we recognise, with the pattern of a valid id.
REGISTRY_PATTERNS: dict[str, re.Pattern[str]] = {
    "ClinicalTrials.gov": re.compile(r"\bNCT\d{8}\b"),
    "ChiCTR": re.compile(r"\bChiCTR[-A-Za-z0-9]{6,}\b"),
    "ISRCTN": re.compile(r"\bISRCTN\d{8}\b"),
    "ANZCTR": re.compile(r"\bACTRN\d{14}\b"),
    "DRKS": re.compile(r"\bDRKS\d{8}\b"),
    "CTRI": re.compile(r"\bCTRI/\d{4}/\d+/\d+\b"),
    "JPRN": re.compile(r"\b(?:UMIN\d{9}|jRCT[a-z]?\d{7,10})\b"),
    "KCT": re.compile(r"\bKCT\d{7}\b"),
    "IRCT": re.compile(r"\bIRCT\d{8,}N\d+\b"),
    "EudraCT": re.compile(r"\b\d{4}-\d{6}-\d{2}\b"),
}
# Publication types that name a design, most specific first (the MEDLINE vocabulary).
_DESIGN_BY_PUBLICATION_TYPE = (
    ("Systematic Review", Design.SYSTEMATIC_REVIEW),
    ("Meta-Analysis", Design.SYSTEMATIC_REVIEW),
    ("Clinical Trial Protocol", Design.PROTOCOL),
    ("Randomized Controlled Trial", Design.RCT),
    ("Observational Study", Design.OBSERVATIONAL),
)
_ANY_REGISTRY_ID = re.compile("|".join(p.pattern for p in REGISTRY_PATTERNS.values()))
_NCT = REGISTRY_PATTERNS["ClinicalTrials.gov"]


class SourceReadError(Exception):
    """The file as a whole cannot be read (missing, unreadable, or not in the stated format).

    Raised instead of yielding :class:`RecordError` because there is no record to
    blame; the message always names the file.
    """


def source_name(source: Source) -> str:
    """A name for ``source`` fit for error messages: the path, or the stream's name."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


@contextmanager
def open_binary(source: Source) -> Iterator[IO[bytes]]:
    """Open ``source`` for binary reading, transparently un-gzipping it.

    Raises :class:`SourceReadError` naming the file when it cannot be opened.
    A text stream is encoded as UTF-8 first.
    """
    name = source_name(source)
    owned: IO[bytes] | None = None
    if isinstance(source, str | os.PathLike):
        try:
            owned = open(source, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise SourceReadError(f"{name}: cannot open file ({exc.strerror or exc})") from exc
        raw: IO[bytes] = owned
    elif isinstance(source.read(0), str):
        raw = io.BytesIO(cast(IO[str], source).read().encode("utf-8"))
    else:
        raw = cast(IO[bytes], source)
    try:
        buffered = raw if hasattr(raw, "peek") else io.BufferedReader(cast(Any, raw))
        try:
            magic = cast(Any, buffered).peek(2)[:2]
        except OSError as exc:
            raise SourceReadError(f"{name}: cannot read file ({exc})") from exc
        if magic == _GZIP_MAGIC:
            yield cast(IO[bytes], gzip.GzipFile(fileobj=buffered, mode="rb"))
        else:
            yield buffered
    finally:
        if owned is not None:
            owned.close()


def read_text_lines(source: Source) -> Iterator[str]:
    """Yield the lines of a text source without line endings.

    Handles gzip, a UTF-8 byte-order mark, CRLF and lone CR line endings. Bytes
    that are not UTF-8 are decoded as Latin-1 rather than failing the whole file,
    which is what older reference managers write.
    """
    name = source_name(source)
    with open_binary(source) as stream:
        try:
            data = stream.read()
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise SourceReadError(f"{name}: cannot read file ({exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    yield from text.splitlines()


def year_from_text(text: str | None) -> int | None:
    """The first plausible four-digit year in ``text`` ("2019 Nov-Dec" -> 2019)."""
    if not text:
        return None
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def registry_ids_in(text: str) -> list[str]:
    """Trial registry identifiers mentioned in free text, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _ANY_REGISTRY_ID.finditer(text):
        seen.setdefault(match.group(0), None)
    return list(seen)


def is_nct_id(value: str) -> bool:
    """True for a well-formed ClinicalTrials.gov identifier (``NCT`` and eight digits)."""
    return bool(_NCT.fullmatch(value))


def unique(values: list[str]) -> tuple[str, ...]:
    """``values`` without blanks and repeats, first occurrence kept."""
    return tuple(dict.fromkeys(v for v in values if v))


def design_from_indexing(
    publication_types: tuple[str, ...], mesh_terms: tuple[str, ...] = ()
) -> Design | None:
    """The design MEDLINE indexing states, or ``None`` when it states none.

    The MeSH heading "Cross-Over Studies" wins over the publication type, since a
    crossover trial is also indexed as a Randomized Controlled Trial.
    """
    if "Cross-Over Studies" in mesh_terms:
        return Design.CROSSOVER
    for name, design in _DESIGN_BY_PUBLICATION_TYPE:
        if name in publication_types:
            return design
    return None
