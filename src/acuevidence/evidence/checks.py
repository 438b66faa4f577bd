"""Consistency checks on reported numbers, each returning a :class:`Finding` an editor can act on.

Reported numbers are rounded, so every check works with intervals: a value printed with
d decimals stands for anything within half a unit of its last digit, and a recomputed
statistic is the range it takes over all inputs compatible with the printed ones.
Pass numbers as strings ("4.10") to keep trailing zeros; floats are read with the
shortest decimals that represent them, which is the more lenient reading.

Use :func:`check_comparison` to run every check that the given numbers allow.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from acuevidence.evidence.effects import quantile, two_sided_p

ALPHA = 0.05
#: A CI limit off by up to this fraction of the recomputed half-width is a warning, not a failure.
CI_WARN_FRACTION = 0.1


class Level(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one check; ``message`` states what was expected and what was reported."""

    level: Level
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"level": self.level.value, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Reported:
    """A printed number and the interval of true values that print the same way."""

    value: float
    decimals: int

    @classmethod
    def parse(cls, value: Reported | float | int | str) -> Reported:
        if isinstance(value, Reported):
            return value
        text = value.strip() if isinstance(value, str) else repr(float(value))
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        try:
            exponent = Decimal(text).as_tuple().exponent
        except ArithmeticError as exc:
            raise ValueError(f"not a number: {value!r}") from exc
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
        return cls(float(text), decimals)

    @property
    def half_unit(self) -> float:
        return 0.5 * 10.0**-self.decimals

    @property
    def low(self) -> float:
        return self.value - self.half_unit

    @property
    def high(self) -> float:
        return self.value + self.half_unit

    def __str__(self) -> str:
        return f"{self.value:.{self.decimals}f}"


Number = Reported | float | int | str


def _fmt(x: float, decimals: int) -> str:
    return f"{x:.{max(decimals, 2)}f}"


def _overlaps(lo: float, hi: float, rep: Reported, slack: float = 1e-9) -> bool:
    return lo <= rep.high + slack and hi >= rep.low - slack


# --- difference in means and its CI ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Arms:
    n1: int
    mean1: Reported
    sd1: Reported
    n2: int
    mean2: Reported
    sd2: Reported

    def diff_range(self) -> tuple[float, float]:
        return self.mean1.low - self.mean2.high, self.mean1.high - self.mean2.low

    def se(self, method: str, sd1: float, sd2: float) -> float:
        n1, n2 = self.n1, self.n2
        if method == "pooled t":
            sp2 = ((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2)
            return math.sqrt(sp2 * (1 / n1 + 1 / n2))
        return math.sqrt(sd1**2 / n1 + sd2**2 / n2)

    def se_range(self, method: str) -> tuple[float, float]:
        lo = self.se(method, max(self.sd1.low, 0.0), max(self.sd2.low, 0.0))
        return lo, self.se(method, self.sd1.high, self.sd2.high)

    def df(self, method: str) -> float:
        """Degrees of freedom: n1 + n2 - 2, or Welch-Satterthwaite (Welch 1947)."""
        n1, n2 = self.n1, self.n2
        if method == "pooled t":
            return n1 + n2 - 2
        if method == "normal":
            return math.inf
        a, b = self.sd1.value**2 / n1, self.sd2.value**2 / n2
        if a + b == 0:
            return n1 + n2 - 2
        return (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))


METHODS = ("pooled t", "Welch", "normal")


def _crit(df: float, level: float) -> float:
    q = 0.5 + level / 2
    return quantile(q, df)


def check_difference(arms: _Arms, estimate: Reported) -> Finding:
    """The reported difference against mean1 - mean2 (and its sign)."""
    lo, hi = arms.diff_range()
    expected = arms.mean1.value - arms.mean2.value
    d = max(estimate.decimals, arms.mean1.decimals)
    text = f"expected {_fmt(expected, d)} (mean1 - mean2), reported {estimate}"
    if _overlaps(lo, hi, estimate):
        return Finding(Level.OK, "difference", text)
    if _overlaps(-hi, -lo, estimate):
        return Finding(Level.WARN, "difference-direction", text + "; the sign is reversed")
    return Finding(Level.FAIL, "difference", text)


def check_difference_ci(
    arms: _Arms, lower: Reported, upper: Reported, *, level: float = 0.95
) -> Finding:
    """Recompute the CI of mean1 - mean2 (pooled-variance t, Welch t, normal) within rounding."""
    dlo, dhi = arms.diff_range()
    best: tuple[float, str, float, float] | None = None
    for method in METHODS:
        se_lo, se_hi = arms.se_range("Welch" if method == "normal" else method)
        crit = _crit(arms.df(method), level)
        lower_range = (dlo - crit * se_hi, dhi - crit * se_lo)
        upper_range = (dlo + crit * se_lo, dhi + crit * se_hi)
        centre = arms.mean1.value - arms.mean2.value
        se = arms.se("Welch" if method == "normal" else method, arms.sd1.value, arms.sd2.value)
        exp_lo, exp_hi = centre - crit * se, centre + crit * se
        if _overlaps(*lower_range, lower) and _overlaps(*upper_range, upper):
            return Finding(
                Level.OK,
                "ci",
                f"expected {_fmt(exp_lo, lower.decimals)} to {_fmt(exp_hi, upper.decimals)} "
                f"({method}), reported {lower} to {upper}",
            )
        off = max(_distance(lower_range, lower), _distance(upper_range, upper)) / max(
            crit * se, 1e-12
        )
        if best is None or off < best[0]:
            best = (off, method, exp_lo, exp_hi)
    assert best is not None
    off, method, exp_lo, exp_hi = best
    level_ = Level.WARN if off <= CI_WARN_FRACTION else Level.FAIL
    return Finding(
        level_,
        "ci",
        f"expected {_fmt(exp_lo, lower.decimals)} to {_fmt(exp_hi, upper.decimals)} "
        f"({method}, the closest method), reported {lower} to {upper}",
    )


def _distance(interval: tuple[float, float], rep: Reported) -> float:
    lo, hi = interval
    return max(0.0, rep.low - hi, lo - rep.high)


# --- p-values ----------------------------------------------------------------------------

_P_PATTERN = re.compile(r"^\s*(?:p\s*)?(<=|>=|≤|≥|<|>|=)?\s*([0-9.eE-]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReportedP:
    """A p-value as printed: relation ('<', '=', '>') and the number."""

    relation: str
    value: Reported

    @classmethod
    def parse(cls, value: ReportedP | float | str, relation: str | None = None) -> ReportedP:
        if isinstance(value, ReportedP):
            return value
        if isinstance(value, str):
            match = _P_PATTERN.match(value)
            if not match:
                raise ValueError(f"not a p-value: {value!r}")
            rel = {"<=": "<", "≤": "<", ">=": ">", "≥": ">"}.get(match[1], match[1])
            return cls(rel or relation or "=", Reported.parse(match[2]))
        return cls(relation or "=", Reported.parse(value))

    @property
    def significant(self) -> bool:
        if self.relation == ">":
            return False
        return self.value.value <= ALPHA if self.relation == "<" else self.value.value < ALPHA

    def __str__(self) -> str:
        return f"p{self.relation}{self.value}"


def _p_from_t(t: float, df: float) -> float:
    return two_sided_p(t, df)


def check_p_value(reported: ReportedP, p_range: tuple[float, float], basis: str) -> Finding:
    """statcheck-style: is the reported p (with '<', '=', '>') compatible with the recomputed
    range? A mismatch that flips significance at 0.05 is a failure, any other a warning
    (Nuijten et al. 2016, "gross inconsistency")."""
    p_lo, p_hi = p_range
    rep = reported.value
    if reported.relation == "<":
        consistent = p_lo < rep.value
    elif reported.relation == ">":
        consistent = p_hi > rep.value
    else:
        consistent = _overlaps(p_lo, p_hi, rep)
    expected = _describe_p(p_lo, p_hi)
    text = f"expected {expected} ({basis}), reported {reported}"
    if consistent:
        return Finding(Level.OK, "p-value", text)
    computed_sig = p_hi < ALPHA
    computed_nonsig = p_lo >= ALPHA
    flips = (reported.significant and computed_nonsig) or (
        not reported.significant and computed_sig
    )
    if flips:
        return Finding(Level.FAIL, "p-value", text + "; the conclusion at 0.05 differs")
    return Finding(Level.WARN, "p-value", text)


def _describe_p(lo: float, hi: float) -> str:
    if hi < 0.001:
        return "p<0.001"
    if math.isclose(lo, hi, rel_tol=0.05):
        return f"p={lo:.3g}"
    return f"p between {lo:.3g} and {hi:.3g}"


def p_range_from_arms(arms: _Arms, method: str) -> tuple[float, float]:
    """The two-sample t-test p-values compatible with the rounded means and SDs."""
    dlo, dhi = arms.diff_range()
    se_lo, se_hi = arms.se_range(method)
    df = arms.df(method)
    small = 0.0 if dlo <= 0 <= dhi else min(abs(dlo), abs(dhi))
    big = max(abs(dlo), abs(dhi))
    p_hi = _p_from_t(small / se_hi, df) if se_hi > 0 else 1.0
    p_lo = _p_from_t(big / se_lo, df) if se_lo > 0 else 0.0
    return p_lo, p_hi


def p_range_from_ci(
    estimate: Reported,
    lower: Reported,
    upper: Reported,
    *,
    ratio: bool = False,
    level: float = 0.95,
) -> tuple[float, float]:
    """z-test p-values implied by an estimate and its CI (Altman & Bland, BMJ 2011;343:d2304),
    on the log scale for ratios, over the rounding intervals of the three numbers."""
    crit = _crit(math.inf, level)

    def scaled(rep: Reported) -> tuple[float, float]:
        if not ratio:
            return rep.low, rep.high
        return math.log(max(rep.low, 1e-300)), math.log(rep.high)

    e_lo, e_hi = scaled(estimate)
    lo_lo, lo_hi = scaled(lower)
    up_lo, up_hi = scaled(upper)
    se_lo = max((up_lo - lo_hi) / (2 * crit), 1e-300)
    se_hi = (up_hi - lo_lo) / (2 * crit)
    small = 0.0 if e_lo <= 0 <= e_hi else min(abs(e_lo), abs(e_hi))
    big = max(abs(e_lo), abs(e_hi))
    return _p_from_t(big / se_lo, math.inf), _p_from_t(small / se_hi, math.inf)


# --- GRIM, totals, percentages, SD bounds, significance claims ---------------------------


def grim(mean: Number, n: int, *, items: int = 1) -> Finding:
    """GRIM test (Brown & Heathers 2017): can a mean of integer scores over n people (and
    ``items`` integer items) round to the reported value? Uninformative when n·items ≥
    10^decimals, because every mean is then possible."""
    rep = Reported.parse(mean)
    units = n * items
    if units < 1:
        raise ValueError("GRIM needs n and items of at least 1")
    if units >= 10**rep.decimals:
        return Finding(
            Level.OK,
            "grim",
            f"not informative: n·items = {units} ≥ 10^{rep.decimals}; reported mean {rep}",
        )
    lo_total = math.ceil(rep.low * units - 1e-9)
    hi_total = math.floor(rep.high * units + 1e-9)
    candidates = [t / units for t in range(lo_total, hi_total + 1)]
    if candidates:
        nearest = min(candidates, key=lambda c: abs(c - rep.value))
        return Finding(
            Level.OK,
            "grim",
            f"possible: {round(nearest * units)}/{units} = {nearest:.{rep.decimals + 2}f} "
            f"rounds to the reported {rep}",
        )
    below, above = math.floor(rep.value * units) / units, math.ceil(rep.value * units) / units
    return Finding(
        Level.FAIL,
        "grim",
        f"impossible with n={n}: expected a multiple of 1/{units} such as "
        f"{below:.{rep.decimals}f} or {above:.{rep.decimals}f}, reported mean {rep}",
    )


def check_arm_total(arm_sizes: list[int], total: int) -> Finding:
    """The arms' sizes should add up to the reported total; fewer may be dropouts, more may not."""
    added = sum(arm_sizes)
    text = f"expected {total} (reported total), arms add up to {added}"
    if added == total:
        return Finding(Level.OK, "arm-total", text)
    if added < total:
        return Finding(Level.WARN, "arm-total", text + "; check for exclusions or dropouts")
    return Finding(Level.FAIL, "arm-total", text)


def check_percent(events: int, total: int, percent: Number) -> Finding:
    """A reported percentage against 100·events/total, within the rounding of its digits."""
    rep = Reported.parse(percent)
    expected = 100 * events / total
    text = f"expected {expected:.{rep.decimals + 1}f}% ({events}/{total}), reported {rep}%"
    if _overlaps(expected, expected, rep):
        return Finding(Level.OK, "percent", text)
    if abs(expected - rep.value) <= 1:
        return Finding(Level.WARN, "percent", text)
    return Finding(Level.FAIL, "percent", text)


def check_sd_range(
    mean: Number, sd: Number, n: int, *, scale_min: float, scale_max: float
) -> Finding:
    """An SD larger than the scale allows: with values in [a, b] and mean m, the sample SD
    cannot exceed √((m - a)(b - m)·n/(n - 1)) (Bhatia-Davis inequality)."""
    m, s = Reported.parse(mean), Reported.parse(sd)
    if not scale_min - m.half_unit <= m.value <= scale_max + m.half_unit:
        return Finding(
            Level.FAIL,
            "sd-range",
            f"expected a mean within the scale {scale_min:g} to {scale_max:g}, reported {m}",
        )
    # the largest bound over means compatible with the rounded one
    mid = min(max((scale_min + scale_max) / 2, m.low), m.high)
    bound = math.sqrt(max((mid - scale_min) * (scale_max - mid), 0.0) * n / max(n - 1, 1))
    text = (
        f"expected an SD of at most {bound:.{max(s.decimals, 2)}f} for mean {m} on "
        f"{scale_min:g} to {scale_max:g}, reported {s}"
    )
    if s.low <= bound:
        return Finding(Level.OK, "sd-range", text)
    return Finding(Level.FAIL, "sd-range", text)


def check_significance_claim(
    *, ci_lower: float, ci_upper: float, null: float, significant: bool, source: str
) -> Finding:
    """A claim of significance (from a p-value or the text) against a CI that includes the
    null value (0 for differences, 1 for ratios), and the reverse."""
    includes = ci_lower <= null <= ci_upper
    text = (
        f"CI {ci_lower:g} to {ci_upper:g} {'includes' if includes else 'excludes'} "
        f"the null {null:g}; {source} {'claims' if significant else 'does not claim'} significance"
    )
    if significant and includes:
        return Finding(Level.FAIL, "significance-ci", text)
    if not significant and not includes:
        return Finding(Level.WARN, "significance-ci", text)
    return Finding(Level.OK, "significance-ci", text)


# --- entry point -------------------------------------------------------------------------

RATIO_MEASURES = frozenset({"RR", "OR", "HR"})


def check_comparison(
    *,
    measure: str = "MD",
    n1: int | None = None,
    mean1: Number | None = None,
    sd1: Number | None = None,
    n2: int | None = None,
    mean2: Number | None = None,
    sd2: Number | None = None,
    estimate: Number | None = None,
    ci_lower: Number | None = None,
    ci_upper: Number | None = None,
    p: ReportedP | float | str | None = None,
    p_relation: str | None = None,
    level: float = 0.95,
    total: int | None = None,
    events1: int | None = None,
    percent1: Number | None = None,
    events2: int | None = None,
    percent2: Number | None = None,
    scale_min: float | None = None,
    scale_max: float | None = None,
    grim_items: int | None = None,
    claims_significance: bool | None = None,
) -> list[Finding]:
    """Run every check the given numbers allow on one reported comparison.

    Group 1 is the intervention, the difference is mean1 - mean2. ``grim_items`` (the number
    of integer items summed or averaged into the score, usually 1) turns on GRIM for both
    means; ``scale_min``/``scale_max`` turn on the SD bound; ``claims_significance`` is what
    the text says, checked against the CI.
    """
    findings: list[Finding] = []
    arms = _arms(n1, mean1, sd1, n2, mean2, sd2)
    est = Reported.parse(estimate) if estimate is not None else None
    lo = Reported.parse(ci_lower) if ci_lower is not None else None
    hi = Reported.parse(ci_upper) if ci_upper is not None else None
    reported_p = ReportedP.parse(p, p_relation) if p is not None else None
    ratio = measure.upper() in RATIO_MEASURES

    if arms is not None and measure.upper() == "MD":
        if est is not None:
            findings.append(check_difference(arms, est))
        if lo is not None and hi is not None:
            findings.append(check_difference_ci(arms, lo, hi, level=level))
    if reported_p is not None:
        if arms is not None and measure.upper() == "MD":
            finding = _best_p(reported_p, arms)
            findings.append(finding)
        elif est is not None and lo is not None and hi is not None:
            p_range = p_range_from_ci(est, lo, hi, ratio=ratio, level=level)
            findings.append(check_p_value(reported_p, p_range, "z test from estimate and CI"))
    if lo is not None and hi is not None:
        null = 1.0 if ratio else 0.0
        if reported_p is not None:
            findings.append(
                check_significance_claim(
                    ci_lower=lo.value,
                    ci_upper=hi.value,
                    null=null,
                    significant=reported_p.significant,
                    source=f"the reported {reported_p}",
                )
            )
        if claims_significance is not None:
            findings.append(
                check_significance_claim(
                    ci_lower=lo.value,
                    ci_upper=hi.value,
                    null=null,
                    significant=claims_significance,
                    source="the text",
                )
            )
    if total is not None and n1 is not None and n2 is not None:
        findings.append(check_arm_total([n1, n2], total))
    for events, n, percent in ((events1, n1, percent1), (events2, n2, percent2)):
        if events is not None and n is not None and percent is not None:
            findings.append(check_percent(events, n, percent))
    for n, mean, sd in ((n1, mean1, sd1), (n2, mean2, sd2)):
        if n is None or mean is None:
            continue
        if grim_items is not None and n >= 1:
            findings.append(grim(mean, n, items=grim_items))
        if sd is not None and scale_min is not None and scale_max is not None:
            findings.append(check_sd_range(mean, sd, n, scale_min=scale_min, scale_max=scale_max))
    return findings


def _arms(*values: Any) -> _Arms | None:
    n1, mean1, sd1, n2, mean2, sd2 = values
    if any(v is None for v in values) or min(int(n1), int(n2)) < 2:
        return None  # a t-test needs at least two participants per arm
    return _Arms(
        int(n1),
        Reported.parse(mean1),
        Reported.parse(sd1),
        int(n2),
        Reported.parse(mean2),
        Reported.parse(sd2),
    )


def _best_p(reported: ReportedP, arms: _Arms) -> Finding:
    """The p check under the pooled-variance and the Welch t-test; the better one counts."""
    order = {Level.OK: 0, Level.WARN: 1, Level.FAIL: 2}
    findings = [
        check_p_value(reported, p_range_from_arms(arms, method), f"{method} test from arm data")
        for method in ("pooled t", "Welch")
    ]
    return min(findings, key=lambda f: order[f.level])
