"""``acuevidence parse FORMAT FILE [--json]``: print the records a source file holds.

No database is involved: this is the parser's view of a file, for checking an
export before importing it. Records go to standard output (one JSON object per
line with ``--json``, a short listing otherwise); records that could not be read
go to standard error naming the file, record number or id, and field.

Exit status: 0 when every record parsed, 1 when some records had errors,
2 when the file cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys

from acuevidence.evidence.cli.common import InputError, print_json
from acuevidence.evidence.records import RecordError, StudyRecord
from acuevidence.evidence.sources import FORMATS, SourceReadError, parse_file

EXIT_RECORD_ERRORS = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="acuevidence parse", description="Print the normalized records in a source file."
    )
    parser.add_argument("format", choices=FORMATS, help="the file's format")
    parser.add_argument("file", help="the file to read (gzipped files are recognised)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    records = errors = 0
    try:
        for result in parse_file(args.format, args.file):
            if isinstance(result, RecordError):
                errors += 1
                sys.stderr.write(f"{result}\n")
                continue
            records += 1
            if args.json:
                print_json(result.to_json())
            else:
                sys.stdout.write(describe(result) + "\n")
    except SourceReadError as exc:
        raise InputError(str(exc)) from exc
    if not args.json:
        sys.stdout.write(f"{records} records, {errors} errors\n")
    return EXIT_RECORD_ERRORS if errors else 0


def describe(record: StudyRecord) -> str:
    """One line per record: number, main id, year, title (cut to fit a terminal)."""
    ids = record.identifiers
    main_id = ids.get("pmid") or ids.get("nct_id") or ids.get("doi") or "-"
    flags = " [deleted]" if record.deleted else ""
    title = record.title if len(record.title) <= 80 else record.title[:77] + "..."
    year = record.year if record.year is not None else "----"
    return f"{record.record_number or '-':>5}  {main_id:<14} {year}  {title}{flags}"
