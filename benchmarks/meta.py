"""Benchmark: pooling many synthetic meta-analyses with REML, against statsmodels.

Run from the repository root::

    .venv/bin/python benchmarks/meta.py            # 10,000 analyses of 5-50 studies
    .venv/bin/python benchmarks/meta.py --n 1000   # quicker

Each analysis draws k ~ U{5..50} studies with within-study variances vi ~ U(0.01, 0.5),
a true tau² ~ U(0, 0.3) and yi ~ N(mu, vi + tau²). Every analysis is pooled by
``acuevidence.evidence.meta.pool`` (REML, Wald CI: everything MetaResult holds, including
I², H², Q, the prediction interval, weights and, for k >= 10, Egger's test) and by
statsmodels' ``combine_effects`` on the same yi and vi. statsmodels has no REML; its
iterated estimator (``method_re="iterated"``, Paule-Mandel) is the nearest iterative one,
and its DerSimonian-Laird (``"chi2"``) is shown too. The table reports the time per
analysis and the ratio to statsmodels, then the largest difference between our DL and PM
estimates and statsmodels' on the same data (agreement check; statsmodels' DL leaves a
negative tau² untruncated, so those analyses are counted and left out).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from statsmodels.stats.meta_analysis import combine_effects

from acuevidence.evidence import effects, meta


def synthetic(n: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    data = []
    for _ in range(n):
        k = int(rng.integers(5, 51))
        vi = rng.uniform(0.01, 0.5, k)
        tau2 = rng.uniform(0, 0.3)
        yi = rng.normal(rng.normal(0, 0.5), np.sqrt(vi + tau2))
        data.append((yi, vi))
    return data


def timed(fn: Callable[[np.ndarray, np.ndarray], Any], data: list) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    out = [fn(yi, vi) for yi, vi in data]
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of analyses")
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()
    data = synthetic(args.n, args.seed)
    warnings.simplefilter("ignore")

    def ours(method: str) -> Callable[[np.ndarray, np.ndarray], meta.MetaResult]:
        return lambda yi, vi: meta.pool(effects.generic(yi, vi), method=method)

    def theirs(method_re: str) -> Callable[[np.ndarray, np.ndarray], Any]:
        return lambda yi, vi: combine_effects(yi, vi, method_re=method_re)

    runs = {
        "acuevidence REML": timed(ours("REML"), data),
        "acuevidence PM": timed(ours("PM"), data),
        "acuevidence DL": timed(ours("DL"), data),
        "statsmodels iterated (PM)": timed(theirs("iterated"), data),
        "statsmodels chi2 (DL)": timed(theirs("chi2"), data),
    }
    baseline = runs["statsmodels iterated (PM)"][0]
    table = Table(title=f"Pooling {args.n:,} synthetic meta-analyses (k = 5-50)")
    for column in ("method", "total s", "per analysis ms", "ratio to statsmodels PM"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for name, (seconds, _) in runs.items():
        table.add_row(
            name, f"{seconds:.2f}", f"{1000 * seconds / args.n:.3f}", f"{seconds / baseline:.2f}"
        )
    console = Console()
    console.print(table)

    def max_diff(ours_key: str, theirs_key: str) -> tuple[float, int]:
        """Largest estimate difference where statsmodels' tau² is admissible (>= 0): its
        DL ("chi2") does not truncate a negative moment estimate at zero as DL does."""
        pairs = zip(runs[ours_key][1], runs[theirs_key][1], strict=True)
        diffs = [abs(a.estimate - b.mean_effect_re) for a, b in pairs if b.tau2 >= 0]
        return max(diffs), args.n - len(diffs)

    for label, ours_key, theirs_key in (
        ("DL", "acuevidence DL", "statsmodels chi2 (DL)"),
        ("PM", "acuevidence PM", "statsmodels iterated (PM)"),
    ):
        diff, negative = max_diff(ours_key, theirs_key)
        console.print(
            f"{label}: largest |difference| in the random-effects estimate {diff:.1e} "
            f"(left out: {negative} analyses where statsmodels reports a negative tau²)"
        )


if __name__ == "__main__":
    main()
