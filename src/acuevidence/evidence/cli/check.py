"""``acuevidence check FILE.csv``: run the consistency checks over reported comparisons.

Columns: ``study,outcome,n1,mean1,sd1,n2,mean2,sd2,estimate,ci_lower,ci_upper,p``; empty
cells are skipped by the checks that need them. Optional columns: ``measure`` (MD default;
RR/OR/HR make the null 1), ``total``, ``events1,percent1,events2,percent2``,
``scale_min,scale_max`` (SD bound), ``items`` (GRIM with that many integer items) and
``significant`` (yes/no: what the text claims). p may carry '<', '=' or '>'. Numbers are
kept as printed so that trailing zeros count as reported digits. The exit status is 1
when any check fails, 0 otherwise, 2 for bad input.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from acuevidence.evidence import checks
from acuevidence.evidence.cli.common import InputError, print_json
from acuevidence.evidence.cli.meta import Table, read_table

REQUIRED = (
    "study",
    "outcome",
    "n1",
    "mean1",
    "sd1",
    "n2",
    "mean2",
    "sd2",
    "estimate",
    "ci_lower",
    "ci_upper",
    "p",
)
NUMBERS = (
    "mean1",
    "sd1",
    "mean2",
    "sd2",
    "estimate",
    "ci_lower",
    "ci_upper",
    "percent1",
    "percent2",
)
COUNTS = ("n1", "n2", "total", "events1", "events2", "items")
FLAGS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _row_arguments(table: Table, i: int) -> dict[str, Any]:
    row = table.rows[i]
    kwargs: dict[str, Any] = {}
    for column in NUMBERS:
        raw = row.get(column, "").strip()
        if raw:
            table.number(i, column)  # validates with row and column in the message
            kwargs[column] = raw
    for column in COUNTS:
        if row.get(column, "").strip():
            kwargs[column] = table.count(
                i, column, positive=column in ("n1", "n2", "total", "items")
            )
    for column in ("sd1", "sd2"):
        if column in kwargs and float(kwargs[column]) < 0:
            raise InputError(f"{table.where(i, column)}: an SD cannot be negative")
    for column in ("scale_min", "scale_max"):
        if row.get(column, "").strip():
            kwargs[column] = table.number(i, column)
    raw_p = row.get("p", "").strip()
    if raw_p:
        try:
            kwargs["p"] = checks.ReportedP.parse(raw_p)
        except ValueError:
            raise InputError(f"{table.where(i, 'p')}: {raw_p!r} is not a p-value") from None
    flag = row.get("significant", "").strip().lower()
    if flag:
        if flag not in FLAGS:
            raise InputError(f"{table.where(i, 'significant')}: use yes or no, got {flag!r}")
        kwargs["claims_significance"] = FLAGS[flag]
    if "items" in kwargs:
        kwargs["grim_items"] = kwargs.pop("items")
    kwargs["measure"] = row.get("measure", "").strip().upper() or "MD"
    return kwargs


def main(argv: Sequence[str] | Iterable[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="acuevidence check",
        description="Check reported comparisons: difference and CI, p-value, GRIM, totals.",
    )
    parser.add_argument("file", help="CSV: " + ",".join(REQUIRED))
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(list(argv))
    table = read_table(args.file)
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        raise InputError(f"{table.name}: missing column {missing[0]!r}")
    if not table.rows:
        raise InputError(f"{table.name}: no rows to check")
    results: list[dict[str, Any]] = []
    for i, row in enumerate(table.rows):
        findings = checks.check_comparison(**_row_arguments(table, i))
        results.append(
            {
                "row": i + 1,
                "study": row.get("study", "").strip(),
                "outcome": row.get("outcome", "").strip(),
                "findings": [f.to_json() for f in findings],
            }
        )
    tally = Counter(f["level"] for r in results for f in r["findings"])
    summary = {level.value: tally.get(level.value, 0) for level in checks.Level}
    if args.json:
        print_json({"file": table.name, "rows": results, "summary": summary})
    else:
        for r in results:
            print(f"row {r['row']}: {r['study']} / {r['outcome']}")
            for f in r["findings"]:
                print(f"  {f['level'].upper():<4} {f['code']}: {f['message']}")
        print(", ".join(f"{n} {level}" for level, n in summary.items()))
    return 1 if summary["fail"] else 0
