"""``acuevidence meta FILE.csv``: pool the studies of a CSV file, print like metafor or as JSON.

Input columns, recognised by header: ``study,n1,mean1,sd1,n2,mean2,sd2`` (continuous,
group 1 is the intervention), ``study,events1,total1,events2,total2`` (binary) or
``study,yi,vi`` (precomputed; ratios already logged). Bad input stops with a message
naming the row (1 = first data row) and the column, and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from acuevidence.evidence import effects, meta, plots
from acuevidence.evidence.cli.common import InputError, print_json

CONTINUOUS = ("n1", "mean1", "sd1", "n2", "mean2", "sd2")
BINARY = ("events1", "total1", "events2", "total2")
GENERIC = ("yi", "vi")
LAYOUTS = {"continuous": CONTINUOUS, "binary": BINARY, "generic": GENERIC}


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of a CSV file as dicts, with the file name for error messages."""

    name: str
    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    def where(self, index: int, column: str) -> str:
        study = self.rows[index].get("study", "").strip()
        label = f" (study {study!r})" if study else ""
        return f"{self.name}, row {index + 1}{label}, column {column!r}"

    def number(self, index: int, column: str, *, required: bool = True) -> float | None:
        """The cell as a finite float; an empty optional cell is ``None``."""
        raw = (self.rows[index].get(column) or "").strip()
        if not raw:
            if required:
                raise InputError(f"{self.where(index, column)}: value is missing")
            return None
        try:
            value = float(raw)
        except ValueError:
            raise InputError(f"{self.where(index, column)}: {raw!r} is not a number") from None
        if not math.isfinite(value):
            raise InputError(f"{self.where(index, column)}: {raw!r} is not a finite number")
        return value

    def count(self, index: int, column: str, *, positive: bool) -> int:
        value = self.number(index, column)
        assert value is not None
        if value != int(value):
            raise InputError(f"{self.where(index, column)}: {value:g} is not a whole number")
        if value < (1 if positive else 0):
            need = "greater than 0" if positive else "0 or more"
            raise InputError(f"{self.where(index, column)}: must be {need}, got {value:g}")
        return int(value)


def read_table(path: str) -> Table:
    """Read a CSV file with a header row; names are lower-cased and stripped."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    reader = csv.DictReader(text.splitlines())
    header = tuple((h or "").strip().lower() for h in (reader.fieldnames or ()))
    rows = []
    for raw in reader:
        rows.append({(k or "").strip().lower(): (v or "") for k, v in raw.items() if k})
    rows = [r for r in rows if any(v.strip() for v in r.values())]
    return Table(file.name, header, tuple(rows))


def detect_layout(table: Table) -> str:
    """Which of the three layouts the header is; a partial match names the missing column."""
    present = set(table.header)
    best = max(LAYOUTS.items(), key=lambda item: len(present & set(item[1])))
    name, columns = best
    missing = [c for c in columns if c not in present]
    if len(missing) == len(columns):
        expected = " or ".join("study," + ",".join(c) for c in LAYOUTS.values())
        raise InputError(f"{table.name}: header must be {expected}")
    if missing:
        raise InputError(f"{table.name}: missing column {missing[0]!r} for {name} data")
    return name


def _studies(table: Table) -> list[str]:
    return [r.get("study", "").strip() or f"Study {i + 1}" for i, r in enumerate(table.rows)]


def load_effects(table: Table, measure: str | None) -> effects.EffectSizes:
    """Validate every row and compute the effect sizes for the chosen (or default) measure."""
    if not table.rows:
        raise InputError(f"{table.name}: no studies (at least 1 row is needed)")
    layout = detect_layout(table)
    names = _studies(table)
    indices = range(len(table.rows))
    if layout == "continuous":
        chosen = measure or "MD"
        if chosen not in ("MD", "SMD"):
            raise InputError(f"{table.name}: measure {chosen} needs binary data; use MD or SMD")
        cols: dict[str, list[float]] = {c: [] for c in CONTINUOUS}
        for i in indices:
            for c in ("n1", "n2"):
                cols[c].append(table.count(i, c, positive=True))
            for c in ("mean1", "mean2", "sd1", "sd2"):
                value = table.number(i, c)
                assert value is not None
                if c.startswith("sd") and value < 0:
                    raise InputError(
                        f"{table.where(i, c)}: an SD cannot be negative, got {value:g}"
                    )
                cols[c].append(value)
            if chosen == "SMD" and cols["sd1"][-1] == cols["sd2"][-1] == 0:
                raise InputError(f"{table.where(i, 'sd1')}: both SDs are 0, the SMD is undefined")
        return effects.continuous_effects(chosen, *(cols[c] for c in CONTINUOUS), studies=names)
    if layout == "binary":
        chosen = measure or "RR"
        if chosen not in ("RR", "OR", "RD"):
            raise InputError(
                f"{table.name}: measure {chosen} needs continuous data; use RR, OR or RD"
            )
        counts: dict[str, list[float]] = {c: [] for c in BINARY}
        for i in indices:
            for arm in ("1", "2"):
                total = table.count(i, "total" + arm, positive=True)
                events = table.count(i, "events" + arm, positive=False)
                if events > total:
                    raise InputError(
                        f"{table.where(i, 'events' + arm)}: {events} events exceed the total "
                        f"of {total}"
                    )
                counts["events" + arm].append(events)
                counts["total" + arm].append(total)
        return effects.binary_effects(chosen, *(counts[c] for c in BINARY), studies=names)
    yi, vi = [], []
    for i in indices:
        y, v = table.number(i, "yi"), table.number(i, "vi")
        assert y is not None and v is not None
        if v <= 0:
            raise InputError(
                f"{table.where(i, 'vi')}: a variance must be greater than 0, got {v:g}"
            )
        yi.append(y)
        vi.append(v)
    return effects.generic(yi, vi, measure=measure or "GEN", studies=names)


def _p(p: float) -> str:
    return "<.0001" if p < 0.0001 else f"{p:.4f}"


def render(result: meta.MetaResult) -> str:
    """A plain-text report laid out like metafor's ``print.rma``."""
    re_model = result.method not in (meta.Method.FE, meta.Method.MH)
    if result.method is meta.Method.MH:
        title = f"Fixed-Effects Model, Mantel-Haenszel (k = {result.k})"
    elif re_model:
        title = f"Random-Effects Model (k = {result.k}; tau^2 estimator: {result.method.value})"
    else:
        title = f"Fixed-Effects Model (k = {result.k})"
    lines = [title, ""]
    if re_model:
        lines += [
            f"tau^2 (estimated amount of total heterogeneity): {result.tau2:.4f}",
            f"tau (square root of estimated tau^2 value):      {result.tau:.4f}",
        ]
    lines += [
        f"I^2 (total heterogeneity / total variability):   {result.i2:.2f}%",
        f"H^2 (total variability / sampling variability):  {result.h2:.2f}",
        "",
        "Test for Heterogeneity:",
        f"Q(df = {result.q_df}) = {result.q:.4f}, p-val {_p(result.q_p).replace('<', '< ')}"
        if result.q_p < 0.0001
        else f"Q(df = {result.q_df}) = {result.q:.4f}, p-val = {_p(result.q_p)}",
        "",
        f"Model Results ({result.measure.value}"
        + (", log scale" if result.measure.is_ratio else "")
        + f"; CI: {result.ci_method.value}):",
        "",
    ]
    stat = "tval" if result.df is not None else "zval"
    lines.append(f"{'estimate':>9} {'se':>8} {stat:>8} {'pval':>8} {'ci.lb':>8} {'ci.ub':>8}")
    lines.append(
        f"{result.estimate:>9.4f} {result.se:>8.4f} {result.statistic:>8.4f} {_p(result.p):>8} "
        f"{result.ci[0]:>8.4f} {result.ci[1]:>8.4f}"
    )
    lines += ["", f"Prediction interval: {result.pi[0]:.4f} to {result.pi[1]:.4f}"]
    if result.measure.is_ratio:
        e = result.to_json()["exp"]
        lines.append(
            f"Back-transformed: {result.measure.value} {e['estimate']:.4f} "
            f"[{e['ci'][0]:.4f}, {e['ci'][1]:.4f}], prediction interval "
            f"[{e['pi'][0]:.4f}, {e['pi'][1]:.4f}]"
        )
    if result.egger_p is not None:
        lines.append(f"Egger's regression test for funnel plot asymmetry: p = {result.egger_p:.4f}")
    width = max(len(s) for s in result.studies)
    lines += ["", f"{'study':<{width}} {'yi':>9} {'vi':>9} {'weight':>8}"]
    for s, y, v, w in zip(result.studies, result.yi, result.vi, result.weights, strict=True):
        lines.append(f"{s:<{width}} {y:>9.4f} {v:>9.4f} {w:>7.2f}%")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="acuevidence meta",
        description="Pool the studies of a CSV file (results agree with R's metafor).",
    )
    parser.add_argument(
        "file",
        help="CSV with study,n1,mean1,sd1,n2,mean2,sd2 or "
        "study,events1,total1,events2,total2 or study,yi,vi",
    )
    parser.add_argument("--measure", type=str.upper, choices=["MD", "SMD", "RR", "OR", "RD"])
    parser.add_argument(
        "--method", type=str.upper, default="REML", choices=[m.value for m in meta.Method]
    )
    parser.add_argument("--ci", type=str.lower, default="wald", choices=["wald", "hksj", "knha"])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--plot", metavar="OUT.svg", help="also write a forest plot as SVG")
    return parser


def main(argv: Sequence[str] | Iterable[str]) -> int:
    args = build_parser().parse_args(list(argv))
    table = read_table(args.file)
    es = load_effects(table, args.measure)
    try:
        result = meta.pool(es, method=args.method, ci_method=args.ci)
    except ValueError as exc:
        raise InputError(f"{table.name}: {exc}") from None
    if args.plot:
        try:
            Path(args.plot).write_text(plots.forest_plot(result), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {args.plot}: {exc.strerror}") from None
    if args.json:
        print_json(result.to_json())
    else:
        print(render(result))
    return 0
