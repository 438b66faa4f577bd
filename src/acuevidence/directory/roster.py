"""Read a licensing board's roster CSV through that board's column mapping.

A mapping (``rosters.json`` or ``settings.DIRECTORY_ROSTER_MAPPINGS``) names the
columns holding the licence number, the name (one column or several joined),
optionally the status (with the values that mean "in good standing") and the
expiry date (with its formats). Rows that cannot be read are returned as
:class:`BadRow` with their line number; the rest still import.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class RosterError(ValueError):
    """The file as a whole cannot be read with this mapping (e.g. a column is missing)."""


@dataclass(frozen=True, slots=True)
class RosterMapping:
    board: str
    number: str
    name: tuple[str, ...]
    status: str | None = None
    active_statuses: tuple[str, ...] = ()
    expires_on: str | None = None
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)

    @classmethod
    def from_config(cls, board: str, config: Mapping[str, Any]) -> RosterMapping:
        name = config["name"]
        return cls(
            board=board,
            number=config["number"],
            name=(name,) if isinstance(name, str) else tuple(name),
            status=config.get("status"),
            active_statuses=tuple(s.lower() for s in config.get("active_statuses", ())),
            expires_on=config.get("expires_on"),
            date_formats=tuple(config.get("date_formats", ("%Y-%m-%d",))),
        )


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int
    number: str
    name: str
    in_good_standing: bool
    status: str
    expires_on: dt.date | None


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    message: str


def mapping_for(board: str, mappings: Mapping[str, Mapping[str, Any]]) -> RosterMapping:
    """The mapping whose board name or alias is ``board`` (case-insensitive), else the generic one.

    The generic mapping (key ``"*"``) is used with ``board`` taken literally.
    """
    wanted = board.strip().lower()
    for name, config in mappings.items():
        if name == "*":
            continue
        if wanted == name.lower() or wanted in (a.lower() for a in config.get("aliases", ())):
            return RosterMapping.from_config(name, config)
    if "*" not in mappings:
        known = ", ".join(sorted(n for n in mappings if n != "*"))
        raise RosterError(f"no column mapping for board {board!r}; known boards: {known}")
    return RosterMapping.from_config(board.strip(), mappings["*"])


def normalize_number(number: str) -> str:
    """Licence numbers compare without spaces, hyphens or case ("AC 12345" == "ac-12345")."""
    return re.sub(r"[\s\-.]", "", number).upper()


def _parse_date(value: str, formats: Iterable[str]) -> dt.date:
    for fmt in formats:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date {value!r} does not match {' or '.join(formats)}")


def read_roster(lines: Iterable[str], mapping: RosterMapping) -> Iterator[RosterRow | BadRow]:
    """Rows of the CSV (header on line 1), each read or reported with its line number."""
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    needed = [mapping.number, *mapping.name]
    needed += [c for c in (mapping.status, mapping.expires_on) if c]
    missing = [column for column in needed if column not in header]
    if missing:
        raise RosterError(
            f"the file has no column {', '.join(map(repr, missing))} required by the "
            f"mapping for {mapping.board}; its columns are {', '.join(map(repr, header))}"
        )
    for record in reader:
        line = reader.line_num
        if None in record:
            yield BadRow(
                line, f"{len(header) + len(record[None])} fields, header has {len(header)}"
            )
            continue
        number = (record[mapping.number] or "").strip()
        name = " ".join(p for p in ((record[c] or "").strip() for c in mapping.name) if p)
        if not number:
            yield BadRow(line, f"no licence number in column {mapping.number!r}")
            continue
        if not name:
            yield BadRow(line, f"no name in column(s) {', '.join(mapping.name)}")
            continue
        status = (record[mapping.status] or "").strip() if mapping.status else ""
        expires_on = None
        raw_date = (record[mapping.expires_on] or "").strip() if mapping.expires_on else ""
        if raw_date:
            try:
                expires_on = _parse_date(raw_date, mapping.date_formats)
            except ValueError as exc:
                yield BadRow(line, f"column {mapping.expires_on!r}: {exc}")
                continue
        good = not mapping.status or status.lower() in mapping.active_statuses
        yield RosterRow(line, number, name, good, status, expires_on)
