"""``acuevidence extract FILE.txt [--json]``: design, arms, outcomes, numbers of an abstract."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from acuevidence.evidence.cli.common import InputError, print_json


def main(argv: list[str]) -> int:
    """Read a title (first line) and abstract from a text file and print what was extracted."""
    parser = argparse.ArgumentParser(
        prog="acuevidence extract",
        description="Extract design, arms, outcomes and numbers (with character spans) from a "
        "title and abstract: plain text, title on the first line.",
    )
    parser.add_argument("file", type=Path, help="UTF-8 text file: title, newline, abstract")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        text = args.file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{args.file}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{args.file}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(f"{args.file}: {exc.strerror}") from exc
    # Imported here so that input errors are reported without loading scipy (used by the checks).
    from acuevidence.evidence.extract import extract

    data = extract(text).to_json()
    if args.json:
        print_json(data)
    else:
        _print_summary(data, text)
    return 0


def _print_summary(data: dict[str, Any], text: str) -> None:
    """A short human-readable listing: one line per arm and per number, with its source text."""
    print(f"design: {data['design'] or '-'}   N: {data['n_total'] or '-'}")
    for arm in data["arms"]:
        print(f"arm: {arm['label']} (n={arm['n'] or '-'}, therapy={arm['therapy'] or '-'})")
    print(f"conditions: {', '.join(data['conditions']) or '-'}")
    print(f"outcomes: {', '.join(data['outcomes']) or '-'}")
    for result in data["results"]:
        start, end = result["span"]
        where = ", ".join(
            f"{key}={result[key]}" for key in ("outcome", "arm", "timepoint") if result[key]
        )
        print(f"{result['kind']}: {text[start:end]!r}" + (f" [{where}]" if where else ""))
    for p in data["p_values"]:
        print(f"p-value: {p['text']!r}")
    for ci in data["cis"]:
        print(f"{ci['level']}% CI: {ci['lower']} to {ci['upper']}")
    for finding in data["findings"]:
        print(f"check {finding['level']}: {finding['code']}: {finding['message']}")
