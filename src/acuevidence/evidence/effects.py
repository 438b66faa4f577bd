"""Effect sizes and their sampling variances, computed as R's metafor ``escalc()`` does.

Every function is vectorised over studies (plain sequences or numpy arrays) and returns
an :class:`EffectSizes` that :mod:`acuevidence.evidence.meta` pools. Ratio measures are
on the log scale throughout; back-transform with :func:`numpy.exp` only for display.

Conventions (metafor 3.8, ``escalc`` defaults):

* ``MD``: ``yi = m1 - m2``, ``vi = sd1²/n1 + sd2²/n2`` (unequal variances, ``vtype="LS"``).
* ``SMD``: Hedges' g, ``yi = J·(m1 - m2)/sp`` with the exact small-sample factor
  ``J = Γ(m/2) / (√(m/2)·Γ((m-1)/2))``, ``m = n1 + n2 - 2`` (Hedges 1981), and
  ``vi = 1/n1 + 1/n2 + yi²/(2(n1 + n2))`` (metafor's large-sample ``vtype="LS"``).
* ``RR``, ``OR``, ``RD`` from a 2x2 table: 1/2 is added to every cell of a table that has a
  zero cell, and only to those tables (``add=1/2, to="only0"``); double-zero tables are
  kept, as ``escalc`` keeps them (``drop00=FALSE``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

FloatArray = NDArray[np.float64]

#: Continuity correction added to all four cells of a table with a zero cell.
ZERO_CELL_CORRECTION = 0.5


class Measure(StrEnum):
    """The effect measures the platform pools. RR and OR are handled on the log scale."""

    MD = "MD"
    SMD = "SMD"
    RR = "RR"
    OR = "OR"
    RD = "RD"
    GENERIC = "GEN"

    @property
    def is_ratio(self) -> bool:
        """Ratio measures are analysed as logarithms; their null value is 0 on that scale."""
        return self in (Measure.RR, Measure.OR)

    @property
    def is_binary(self) -> bool:
        return self in (Measure.RR, Measure.OR, Measure.RD)


@dataclass(frozen=True, slots=True)
class Counts:
    """Events and totals per arm of each study (group 1 is the intervention)."""

    events1: FloatArray
    total1: FloatArray
    events2: FloatArray
    total2: FloatArray

    def subset(self, mask: NDArray[np.bool_]) -> Counts:
        return Counts(self.events1[mask], self.total1[mask], self.events2[mask], self.total2[mask])


@dataclass(frozen=True, slots=True, eq=False)
class EffectSizes:
    """Per-study estimates ``yi`` (log scale for ratios) and sampling variances ``vi``.

    ``counts`` is kept for binary measures because the Mantel-Haenszel methods pool the
    2x2 tables themselves rather than ``yi``/``vi``.
    """

    measure: Measure
    yi: FloatArray
    vi: FloatArray
    studies: tuple[str, ...] = ()
    counts: Counts | None = field(default=None)

    def __post_init__(self) -> None:
        if self.yi.shape != self.vi.shape or self.yi.ndim != 1:
            raise ValueError("yi and vi must be one-dimensional and of equal length")
        if not self.studies:
            object.__setattr__(
                self, "studies", tuple(f"Study {i + 1}" for i in range(len(self.yi)))
            )
        if len(self.studies) != len(self.yi):
            raise ValueError("one study label per estimate is required")

    @property
    def k(self) -> int:
        return len(self.yi)

    @property
    def sei(self) -> FloatArray:
        return np.sqrt(self.vi)

    def subset(self, mask: NDArray[np.bool_]) -> EffectSizes:
        """The studies selected by a boolean mask, in the same order."""
        return EffectSizes(
            measure=self.measure,
            yi=self.yi[mask],
            vi=self.vi[mask],
            studies=tuple(s for s, keep in zip(self.studies, mask, strict=True) if keep),
            counts=None if self.counts is None else self.counts.subset(mask),
        )


def quantile(q: float, df: float | None = None) -> float:
    """The q quantile of N(0, 1), or of Student's t when ``df`` is finite.

    Uses scipy.special directly (what scipy.stats calls underneath) so that the command
    line tools start quickly.
    """
    if df is None or math.isinf(df):
        return float(special.ndtri(q))
    return float(special.stdtrit(df, q))


def two_sided_p(statistic: float, df: float | None = None) -> float:
    """Two-sided p-value of a z statistic, or of a t statistic with ``df`` degrees of freedom."""
    if df is None or math.isinf(df):
        return float(2 * special.ndtr(-abs(statistic)))
    return float(2 * special.stdtr(df, -abs(statistic)))


def _arr(values: ArrayLike) -> FloatArray:
    return np.atleast_1d(np.asarray(values, dtype=np.float64))


def generic(
    yi: ArrayLike,
    vi: ArrayLike,
    *,
    measure: Measure | str = Measure.GENERIC,
    studies: Sequence[str] = (),
) -> EffectSizes:
    """Precomputed estimates and variances (ratios already on the log scale)."""
    return EffectSizes(Measure(measure), _arr(yi), _arr(vi), tuple(studies))


def mean_difference(
    n1: ArrayLike,
    mean1: ArrayLike,
    sd1: ArrayLike,
    n2: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    *,
    studies: Sequence[str] = (),
) -> EffectSizes:
    """Raw mean difference, group 1 minus group 2 (metafor ``escalc(measure="MD")``)."""
    n1a, n2a, s1, s2 = _arr(n1), _arr(n2), _arr(sd1), _arr(sd2)
    yi = _arr(mean1) - _arr(mean2)
    vi = s1**2 / n1a + s2**2 / n2a
    return EffectSizes(Measure.MD, yi, vi, tuple(studies))


def hedges_correction(df: ArrayLike) -> FloatArray:
    """Exact small-sample bias correction J(m) of Hedges (1981), computed via log-gamma."""
    m = _arr(df)
    return np.exp(special.gammaln(m / 2) - np.log(np.sqrt(m / 2)) - special.gammaln((m - 1) / 2))


def standardized_mean_difference(
    n1: ArrayLike,
    mean1: ArrayLike,
    sd1: ArrayLike,
    n2: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    *,
    studies: Sequence[str] = (),
) -> EffectSizes:
    """Hedges' g (bias-corrected SMD with pooled SD), as ``escalc(measure="SMD")``."""
    n1a, n2a, s1, s2 = _arr(n1), _arr(n2), _arr(sd1), _arr(sd2)
    df = n1a + n2a - 2
    sp = np.sqrt(((n1a - 1) * s1**2 + (n2a - 1) * s2**2) / df)
    yi = hedges_correction(df) * (_arr(mean1) - _arr(mean2)) / sp
    vi = 1 / n1a + 1 / n2a + yi**2 / (2 * (n1a + n2a))
    return EffectSizes(Measure.SMD, yi, vi, tuple(studies))


def corrected_cells(counts: Counts) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The cells a, b, c, d with 1/2 added to tables that contain a zero (``to="only0"``)."""
    a, c = counts.events1, counts.events2
    b, d = counts.total1 - a, counts.total2 - c
    has_zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    add = np.where(has_zero, ZERO_CELL_CORRECTION, 0.0)
    return a + add, b + add, c + add, d + add


def binary_effects(
    measure: Measure | str,
    events1: ArrayLike,
    total1: ArrayLike,
    events2: ArrayLike,
    total2: ArrayLike,
    *,
    studies: Sequence[str] = (),
) -> EffectSizes:
    """Log risk ratio, log odds ratio or risk difference from events and totals per arm.

    Variances are the usual large-sample ones (metafor ``escalc``):
    RR ``1/a - 1/n1 + 1/c - 1/n2``; OR ``1/a + 1/b + 1/c + 1/d``;
    RD ``p1(1-p1)/n1 + p2(1-p2)/n2``.
    """
    m = Measure(measure)
    counts = Counts(_arr(events1), _arr(total1), _arr(events2), _arr(total2))
    a, b, c, d = corrected_cells(counts)
    n1, n2 = a + b, c + d
    if m is Measure.RR:
        yi = np.log(a / n1) - np.log(c / n2)
        vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
    elif m is Measure.OR:
        yi = np.log(a * d / (b * c))
        vi = 1 / a + 1 / b + 1 / c + 1 / d
    elif m is Measure.RD:
        p1, p2 = a / n1, c / n2
        yi = p1 - p2
        vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    else:
        raise ValueError(f"{m} is not a measure for binary outcomes")
    return EffectSizes(m, yi, vi, tuple(studies), counts)


def continuous_effects(
    measure: Measure | str,
    n1: ArrayLike,
    mean1: ArrayLike,
    sd1: ArrayLike,
    n2: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    *,
    studies: Sequence[str] = (),
) -> EffectSizes:
    """MD or SMD from per-arm means, SDs and sizes."""
    m = Measure(measure)
    if m is Measure.MD:
        return mean_difference(n1, mean1, sd1, n2, mean2, sd2, studies=studies)
    if m is Measure.SMD:
        return standardized_mean_difference(n1, mean1, sd1, n2, mean2, sd2, studies=studies)
    raise ValueError(f"{m} is not a measure for continuous outcomes")


def se_from_ci(
    lower: float,
    upper: float,
    *,
    ratio: bool = False,
    level: float = 0.95,
    df: float | None = None,
) -> float:
    """Standard error implied by a reported confidence interval.

    ``SE = (upper - lower) / (2·crit)`` with ``crit`` the normal quantile, or the t quantile
    when ``df`` is given (Cochrane Handbook 6.3.1). For ratios the interval is taken on
    the log scale, so the SE is that of the log ratio (Handbook 6.3.2).
    """
    if not lower < upper:
        raise ValueError("the lower confidence limit must be below the upper one")
    if ratio:
        if lower <= 0:
            raise ValueError("a ratio's confidence limits must be positive")
        lower, upper = float(np.log(lower)), float(np.log(upper))
    q = 0.5 + level / 2
    crit = quantile(q, df)
    return (upper - lower) / (2 * crit)


@dataclass(frozen=True, slots=True)
class Approximation:
    """A mean and SD derived from other summaries; ``approximate`` is always true so that
    pages and checks can flag it, and ``method`` names the formula used."""

    mean: float
    sd: float
    method: str
    approximate: bool = True


def _xi(n: int) -> float:
    """Wan et al. (2014) eq. 7: expected range of n standard normals, 2Φ⁻¹((n-3/8)/(n+1/4))."""
    return 2 * quantile((n - 0.375) / (n + 0.25))


def _eta(n: int) -> float:
    """Wan et al. (2014) eq. 13: expected IQR of n standard normals, n = 4Q + 1."""
    return 2 * quantile((0.75 * n - 0.125) / (n + 0.25))


def mean_sd_from_median(
    *,
    n: int,
    median: float,
    minimum: float | None = None,
    maximum: float | None = None,
    q1: float | None = None,
    q3: float | None = None,
) -> Approximation:
    """Approximate mean and SD from a median with a range and/or IQR (Wan et al. 2014).

    Scenarios of Wan X, Wang W, Liu J, Tong T. BMC Med Res Methodol 2014;14:135:
    S1 (min, median, max): mean (a + 2m + b)/4, SD (b - a)/ξ(n);
    S2 (q1, median, q3): mean (q1 + m + q3)/3, SD (q3 - q1)/η(n);
    S3 (all five): mean (a + 2q1 + 2m + 2q3 + b)/8, SD (b - a)/(2ξ(n)) + (q3 - q1)/(2η(n)).
    All assume roughly normal data; skewed outcomes make them unreliable.
    """
    if n < 2:
        raise ValueError("n must be at least 2")
    has_range = minimum is not None and maximum is not None
    has_iqr = q1 is not None and q3 is not None
    if has_range and has_iqr:
        assert minimum is not None and maximum is not None and q1 is not None and q3 is not None
        mean = (minimum + 2 * q1 + 2 * median + 2 * q3 + maximum) / 8
        sd = (maximum - minimum) / (2 * _xi(n)) + (q3 - q1) / (2 * _eta(n))
        return Approximation(mean, sd, "wan2014-S3")
    if has_range:
        assert minimum is not None and maximum is not None
        return Approximation(
            (minimum + 2 * median + maximum) / 4, (maximum - minimum) / _xi(n), "wan2014-S1"
        )
    if has_iqr:
        assert q1 is not None and q3 is not None
        return Approximation((q1 + median + q3) / 3, (q3 - q1) / _eta(n), "wan2014-S2")
    raise ValueError("give the range (minimum and maximum), the IQR (q1 and q3), or both")


def change_from_baseline(
    *,
    mean_baseline: float,
    sd_baseline: float,
    mean_final: float,
    sd_final: float,
    correlation: float = 0.5,
) -> Approximation:
    """Mean and SD of the change (final minus baseline) from the two time points.

    ``SD_change = √(SD_b² + SD_f² - 2·r·SD_b·SD_f)`` (Cochrane Handbook 6.5.2.8). The
    correlation r is rarely reported; 0.5 is the Handbook's illustrative default, so the
    result is marked approximate.
    """
    if not -1 <= correlation <= 1:
        raise ValueError("correlation must lie in [-1, 1]")
    sd = float(np.sqrt(sd_baseline**2 + sd_final**2 - 2 * correlation * sd_baseline * sd_final))
    return Approximation(mean_final - mean_baseline, sd, f"change-from-baseline r={correlation:g}")
