"""Precision and recall of ``evidence.extract`` against the labelled abstracts.

Usage: ``.venv/bin/python benchmarks/extraction.py [--errors]``

Data: ``benchmarks/data/extraction/NNN.txt`` (title + abstract) with
``NNN.json`` (labels in the shape of ``acuevidence extract --json``).

Matching, per field:
- mean/SD, median/IQR, proportions, CIs, p-values, differences: a predicted item
  matches a labelled one when the kind is the same, every labelled value equals
  the predicted one to within 1e-6 (the labels hold the numbers as printed, so
  this is equality at the printed rounding; a null label value is not compared)
  and the two character spans overlap. Matching is one-to-one.
- N (total): per abstract, a prediction is correct when it equals the label.
- arm N: per abstract, the multiset of the arms' non-null n; matches are the
  multiset intersection.
- design: per abstract, a prediction is correct when it equals the label.
Precision = matches / predictions, recall = matches / labels.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from acuevidence.evidence.extract import extract

DATA = Path(__file__).resolve().parent / "data" / "extraction"
NUMBER_FIELDS = ("N", "mean/SD pairs", "CIs", "p-values")


@dataclass
class Score:
    """Counts for one field; ``errors`` lists misses and false hits for --errors."""

    matched: int = 0
    predicted: int = 0
    labelled: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0


def _same(label: Any, predicted: Any) -> bool:
    if label is None:
        return True
    if isinstance(label, list):
        return (
            isinstance(predicted, list)
            and len(label) == len(predicted)
            and all(map(_same, label, predicted))
        )
    if isinstance(label, str):
        return label == predicted
    return isinstance(predicted, int | float) and math.isclose(label, predicted, abs_tol=1e-6)


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match_items(
    name: str,
    labels: list[dict[str, Any]],
    predictions: list[dict[str, Any]],
    same: Callable[[dict[str, Any], dict[str, Any]], bool],
    score: Score,
    text: str,
) -> None:
    unused = list(predictions)
    score.labelled += len(labels)
    score.predicted += len(predictions)
    for label in labels:
        hit = next(
            (p for p in unused if _overlap(label["span"], p["span"]) and same(label, p)), None
        )
        if hit is None:
            start, end = label["span"]
            score.errors.append(f"{name} missed {text[start:end]!r}")
        else:
            unused.remove(hit)
            score.matched += 1
    for p in unused:
        start, end = p["span"]
        score.errors.append(f"{name} false {text[start:end]!r} -> {p.get('values', p)}")


def _values_same(label: dict[str, Any], predicted: dict[str, Any], keys: tuple[str, ...]) -> bool:
    if label["kind"] != predicted["kind"]:
        return False
    return all(_same(label["values"].get(key), predicted["values"].get(key)) for key in keys)


def _kind(items: list[dict[str, Any]], *kinds: str) -> list[dict[str, Any]]:
    return [item for item in items if item["kind"] in kinds]


def score_one(
    text: str, label: dict[str, Any], prediction: dict[str, Any], scores: dict[str, Score]
) -> None:
    """Add one abstract's counts to ``scores``."""
    result_fields = {
        "mean/SD pairs": (("mean_sd",), ("mean", "sd")),
        "median/IQR": (("median_iqr",), ("median", "q1", "q3")),
        "proportions": (("proportion",), ("events", "total", "percent")),
        "differences/ratios": (("difference", "ratio"), ("estimate",)),
    }
    for name, (kinds, keys) in result_fields.items():
        _match_items(
            name,
            _kind(label["results"], *kinds),
            _kind(prediction["results"], *kinds),
            lambda a, b, keys=keys: _values_same(a, b, keys),
            scores[name],
            text,
        )
    _match_items(
        "CIs",
        label["cis"],
        prediction["cis"],
        lambda a, b: _same([a["lower"], a["upper"]], [b["lower"], b["upper"]]),
        scores["CIs"],
        text,
    )
    _match_items(
        "p-values",
        label["p_values"],
        prediction["p_values"],
        lambda a, b: a["relation"] == b["relation"] and _same(a["value"], b["value"]),
        scores["p-values"],
        text,
    )
    _score_scalar("N", label["n_total"], prediction["n_total"], scores["N"])
    _score_scalar("design", label["design"], prediction["design"], scores["design"])
    gold = Counter(arm["n"] for arm in label["arms"] if arm["n"] is not None)
    found = Counter(arm["n"] for arm in prediction["arms"] if arm["n"] is not None)
    arm_score = scores["arm N"]
    arm_score.labelled += sum(gold.values())
    arm_score.predicted += sum(found.values())
    arm_score.matched += sum((gold & found).values())
    if gold != found:
        arm_score.errors.append(
            f"arm N labelled {sorted(gold.elements())} found {sorted(found.elements())}"
        )


def _score_scalar(name: str, label: Any, predicted: Any, score: Score) -> None:
    score.labelled += label is not None
    score.predicted += predicted is not None
    score.matched += label is not None and label == predicted
    if label != predicted:
        score.errors.append(f"{name} labelled {label!r} found {predicted!r}")


def run(show_errors: bool) -> dict[str, Score]:
    names = [*NUMBER_FIELDS, "arm N", "differences/ratios", "median/IQR", "proportions", "design"]
    scores = {name: Score() for name in names}
    files = sorted(DATA.glob("*.txt"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        label = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        before = {name: len(score.errors) for name, score in scores.items()}
        score_one(text, label, extract(text).to_json(), scores)
        if show_errors:
            for name, score in scores.items():
                for error in score.errors[before[name] :]:
                    print(f"{path.stem}: {error}")
    pooled = Score()
    for name in NUMBER_FIELDS:
        pooled.matched += scores[name].matched
        pooled.predicted += scores[name].predicted
        pooled.labelled += scores[name].labelled
    scores["numbers (pooled)"] = pooled
    _print_table(scores, len(files))
    return scores


def _print_table(scores: dict[str, Score], n_files: int) -> None:
    table = Table(title=f"Extraction on {n_files} labelled abstracts")
    for column in ("field", "labelled", "predicted", "matched", "precision", "recall", "target"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name, score in scores.items():
        target = "P≥0.95 R≥0.90" if name in (*NUMBER_FIELDS, "numbers (pooled)") else "-"
        table.add_row(
            name,
            str(score.labelled),
            str(score.predicted),
            str(score.matched),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            target,
        )
    Console(width=110).print(table)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and false hit")
    args = parser.parse_args(argv)
    scores = run(args.errors)
    met = all(
        scores[name].precision >= 0.95 and scores[name].recall >= 0.90
        for name in (*NUMBER_FIELDS, "numbers (pooled)")
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
