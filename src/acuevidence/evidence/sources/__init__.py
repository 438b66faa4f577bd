"""Parsers that turn source files into :class:`~acuevidence.evidence.records.StudyRecord`.

Every parser is a generator ``parse_<format>(path_or_stream)`` yielding a
``StudyRecord`` per record, or a ``RecordError`` in place of a record it could
not read, so one bad record never stops a batch. A file that cannot be read at
all raises :class:`SourceReadError` naming the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module

from acuevidence.evidence.sources.common import ParseResult, Source, SourceReadError

# format name -> (module, parser function); imported on demand so that parsing
# PubMed never pays for the CSV or JSON parsers' imports.
PARSERS: dict[str, tuple[str, str]] = {
    "pubmed": ("acuevidence.evidence.sources.pubmed", "parse_pubmed"),
    "medline": ("acuevidence.evidence.sources.medline", "parse_medline"),
    "ris": ("acuevidence.evidence.sources.ris", "parse_ris"),
    "ctgov": ("acuevidence.evidence.sources.ctgov", "parse_ctgov"),
    "csv": ("acuevidence.evidence.sources.csv_template", "parse_csv_template"),
}
FORMATS = tuple(PARSERS)


def parser_for(fmt: str) -> Callable[[Source], Iterator[ParseResult]]:
    """The parser function for a format name; ``ValueError`` for an unknown format."""
    try:
        module_name, function_name = PARSERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    parser: Callable[[Source], Iterator[ParseResult]] = getattr(
        import_module(module_name), function_name
    )
    return parser


def parse_file(fmt: str, path: Source) -> Iterator[ParseResult]:
    """Parse ``path`` as ``fmt`` (one of :data:`FORMATS`)."""
    return parser_for(fmt)(path)


__all__ = ["FORMATS", "ParseResult", "Source", "SourceReadError", "parse_file", "parser_for"]
