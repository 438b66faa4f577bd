"""Meta-analysis that agrees with R's metafor (3.8) and with RevMan 5 for binary outcomes.

Usage::

    from acuevidence.evidence import effects, meta
    es = effects.binary_effects("RR", events1, total1, events2, total2, studies=names)
    result = meta.pool(es, method="REML", ci_method="wald")
    result.estimate, result.confidence_interval(), result.tau2, result.i2

What each setting matches (``rma.uni`` unless noted):

* ``FE``: inverse-variance common effect, ``rma(yi, vi, method="FE")``.
* ``DL``, ``REML``, ``PM``: random effects with that tau² estimator,
  ``rma(yi, vi, method=...)``; the DL and PM estimators are closed form / root finding,
  REML uses Fisher scoring with step halving (Viechtbauer 2005), as metafor does.
* ``MH``: Mantel-Haenszel common effect for RR, OR or RD, ``rma.mh(...)``: Greenland and
  Robins (1985) variance for log RR, Robins, Breslow and Greenland (1986) for log OR and
  Sato, Greenland and Robins (1989) for RD; Q is taken around the MH estimate.
* ``DL-MH``: RevMan 5's random-effects model for binary data: DerSimonian-Laird tau² from
  the Q statistic around the MH estimate, then inverse-variance pooling with
  ``1/(vi + tau²)`` (Deeks, Higgins & Altman, RevMan 5 statistical methods, 2010).
* ``ci_method="wald"``: normal-theory CI and z test (``test="z"``); ``"hksj"`` (alias
  ``"knha"``): Hartung-Knapp-Sidik-Jonkman SE with a t(k-1) distribution, without
  truncation (``test="knha"``).
* I² and H²: from tau² and the typical within-study variance
  ``ṽ = (k-1)Σw / ((Σw)² - Σw²)`` for random-effects models; from Q for FE and MH
  (``print.rma``). Prediction interval: ``estimate ± crit·√(se² + tau²)`` with crit from
  N(0,1), or from t(k-1) with HKSJ (``predict.rma``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from scipy import special

from acuevidence.evidence.effects import (
    Counts,
    EffectSizes,
    FloatArray,
    Measure,
    quantile,
    two_sided_p,
)

#: Convergence threshold on the change in tau² between Fisher-scoring steps (REML).
REML_THRESHOLD = 1e-12
REML_MAXITER = 200
#: Smallest k for which Egger's regression test is reported (Cochrane Handbook 13.3.5.4).
EGGER_MIN_K = 10


class Method(StrEnum):
    FE = "FE"
    DL = "DL"
    REML = "REML"
    PM = "PM"
    MH = "MH"
    DL_MH = "DL-MH"

    @property
    def uses_counts(self) -> bool:
        """MH and DL-MH pool the 2x2 tables, not only yi and vi."""
        return self in (Method.MH, Method.DL_MH)


class CIMethod(StrEnum):
    WALD = "wald"
    HKSJ = "hksj"

    @classmethod
    def parse(cls, value: str) -> CIMethod:
        """Accept metafor's name ``knha`` for HKSJ as well."""
        value = value.lower()
        return cls.HKSJ if value == "knha" else cls(value)


@dataclass(frozen=True, slots=True)
class ConfidenceInterval:
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class MetaResult:
    """A pooled estimate with its heterogeneity statistics; ratios are on the log scale.

    ``df`` is the t distribution's degrees of freedom when HKSJ was used, else ``None``
    (normal). ``weights`` are percentages summing to 100, in the order of ``studies``.
    """

    measure: Measure
    method: Method
    ci_method: CIMethod
    level: float
    k: int
    estimate: float
    se: float
    ci: tuple[float, float]
    statistic: float
    df: int | None
    p: float
    tau2: float
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    pi: tuple[float, float]
    studies: tuple[str, ...]
    yi: tuple[float, ...]
    vi: tuple[float, ...]
    weights: tuple[float, ...]
    egger_p: float | None

    @property
    def tau(self) -> float:
        return float(np.sqrt(self.tau2))

    def _crit(self, confidence_level: float) -> float:
        q = 0.5 + confidence_level / 2
        return quantile(q, self.df)

    def confidence_interval(self, confidence_level: float | None = None) -> ConfidenceInterval:
        """CI of the pooled estimate at any level, with the same z or t distribution."""
        if confidence_level is None:
            return ConfidenceInterval(*self.ci)
        half = self._crit(confidence_level) * self.se
        return ConfidenceInterval(self.estimate - half, self.estimate + half)

    def to_json(self) -> dict[str, Any]:
        """The ``acuevidence meta --json`` object; RR and OR also back-transformed."""
        out: dict[str, Any] = {
            "k": self.k,
            "measure": self.measure.value,
            "method": self.method.value,
            "ci_method": self.ci_method.value,
            "estimate": self.estimate,
            "se": self.se,
            "ci": list(self.ci),
            "p": self.p,
            "tau2": self.tau2,
            "i2": self.i2,
            "h2": self.h2,
            "q": self.q,
            "q_df": self.q_df,
            "q_p": self.q_p,
            "pi": list(self.pi),
            "egger_p": self.egger_p,
            "studies": [
                {"study": s, "yi": y, "vi": v, "weight": w}
                for s, y, v, w in zip(self.studies, self.yi, self.vi, self.weights, strict=True)
            ],
        }
        if self.measure.is_ratio:
            out["exp"] = {
                "estimate": float(np.exp(self.estimate)),
                "ci": [float(np.exp(x)) for x in self.ci],
                "pi": [float(np.exp(x)) for x in self.pi],
            }
        return out


# --- tau² estimators -------------------------------------------------------------------


def _fe_mean(yi: FloatArray, w: FloatArray) -> float:
    return float(np.sum(w * yi) / np.sum(w))


def q_statistic(yi: FloatArray, vi: FloatArray, center: float | None = None) -> float:
    """Cochran's Q with weights 1/vi, around ``center`` (default: the FE estimate)."""
    w = 1 / vi
    mu = _fe_mean(yi, w) if center is None else center
    return float(np.sum(w * (yi - mu) ** 2))


def tau2_dl(yi: FloatArray, vi: FloatArray, q: float | None = None) -> float:
    """DerSimonian and Laird (1986): max(0, (Q - (k-1)) / (Σw - Σw²/Σw)).

    Passing ``q`` computed around another centre gives RevMan's DL-MH variant.
    """
    w = 1 / vi
    q = q_statistic(yi, vi) if q is None else q
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, (q - (len(yi) - 1)) / c) if c > 0 else 0.0


def _generalized_q(tau2: float, yi: FloatArray, vi: FloatArray) -> float:
    w = 1 / (vi + tau2)
    return float(np.sum(w * (yi - _fe_mean(yi, w)) ** 2))


def tau2_pm(yi: FloatArray, vi: FloatArray) -> float:
    """Paule and Mandel (1982): the tau² at which the generalized Q equals k - 1.

    The generalized Q decreases in tau², so the root is bracketed and found with Brent's
    method; tau² = 0 when Q at zero is already below k - 1.
    """
    target = len(yi) - 1
    if _generalized_q(0.0, yi, vi) <= target:
        return 0.0
    upper = max(float(np.var(yi)), float(np.max(vi)), 1e-8)
    while _generalized_q(upper, yi, vi) > target:
        upper *= 10
    from scipy.optimize import brentq  # imported here: only PM and rare REML cases need it

    root: float = brentq(
        lambda t: _generalized_q(t, yi, vi) - target, 0.0, upper, xtol=1e-15, rtol=1e-14
    )
    return root


def _reml_score_parts(tau2: float, yi: FloatArray, vi: FloatArray) -> tuple[float, float]:
    """Return (y'PPy - tr P, tr PP) for the intercept-only model (Viechtbauer 2005, eq. 16)."""
    w = 1 / (vi + tau2)
    w2 = w * w
    sw, sw2 = w.sum(), w2.sum()
    resid = yi - (w @ yi) / sw
    ypp_y = w2 @ (resid * resid)
    tr_p = sw - sw2 / sw
    tr_pp = sw2 - 2 * (w2 @ w) / sw + (sw2 / sw) ** 2
    return float(ypp_y - tr_p), float(tr_pp)


def tau2_reml(yi: FloatArray, vi: FloatArray) -> float:
    """Restricted maximum likelihood by Fisher scoring with step halving at 0, as metafor.

    Starts from the DL estimate; stops when a step changes tau² by less than
    :data:`REML_THRESHOLD`. A boundary maximum is returned as exactly 0. Where Fisher
    scoring oscillates (metafor then stops with "did not converge"), the root of the
    REML score equation is bracketed and found with Brent's method instead.
    """
    if len(yi) < 2:
        return 0.0
    tau2 = tau2_dl(yi, vi)
    for _ in range(REML_MAXITER):
        score, info = _reml_score_parts(tau2, yi, vi)
        adj = score / info
        if tau2 + adj < 0 and _reml_score_parts(0.0, yi, vi)[0] <= 0:
            return 0.0  # the boundary maximum that step halving would creep towards
        while tau2 + adj < 0:
            adj /= 2
        tau2 += adj
        if abs(adj) < REML_THRESHOLD:
            if tau2 < 1e-9 and _reml_score_parts(0.0, yi, vi)[0] <= 0:
                return 0.0
            return tau2
    return _reml_by_root(yi, vi)


def _reml_by_root(yi: FloatArray, vi: FloatArray) -> float:
    def score(t: float) -> float:
        return _reml_score_parts(t, yi, vi)[0]

    if score(0.0) <= 0:
        return 0.0
    upper = max(float(np.var(yi)), float(np.max(vi)), 1e-8)
    while score(upper) > 0:
        upper *= 10
    from scipy.optimize import brentq

    root: float = brentq(score, 0.0, upper, xtol=1e-15, rtol=1e-14)
    return root


_TAU2 = {Method.DL: tau2_dl, Method.REML: tau2_reml, Method.PM: tau2_pm}


# --- Mantel-Haenszel -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _MH:
    estimate: float
    se: float
    weights: FloatArray


def mantel_haenszel(counts: Counts, measure: Measure) -> tuple[float, float, FloatArray]:
    """MH pooled estimate (log scale for RR/OR), its SE and the MH study weights.

    No continuity correction is needed or used. Variances: Greenland & Robins (1985) for
    log RR, Robins, Breslow & Greenland (1986) for log OR, Sato, Greenland & Robins (1989)
    for RD - the ones metafor's ``rma.mh`` uses.
    """
    a, c = counts.events1, counts.events2
    n1, n2 = counts.total1, counts.total2
    b, d = n1 - a, n2 - c
    n = n1 + n2
    if measure is Measure.OR:
        r, s = a * d / n, b * c / n
        big_r, big_s = np.sum(r), np.sum(s)
        pp, qq = (a + d) / n, (b + c) / n
        var = (
            np.sum(pp * r) / (2 * big_r**2)
            + np.sum(pp * s + qq * r) / (2 * big_r * big_s)
            + np.sum(qq * s) / (2 * big_s**2)
        )
        return float(np.log(big_r / big_s)), float(np.sqrt(var)), s
    if measure is Measure.RR:
        r, s = a * n2 / n, c * n1 / n
        big_r, big_s = np.sum(r), np.sum(s)
        var = np.sum((n1 * n2 * (a + c) - a * c * n) / n**2) / (big_r * big_s)
        return float(np.log(big_r / big_s)), float(np.sqrt(var)), s
    if measure is Measure.RD:
        w = n1 * n2 / n
        rd = float(np.sum(a * n2 / n - c * n1 / n) / np.sum(w))
        p_term = (n1**2 * c - n2**2 * a + n1 * n2 * (n2 - n1) / 2) / n**2
        q_term = (a * (n2 - c) + c * (n1 - a)) / (2 * n)
        var = (rd * np.sum(p_term) + np.sum(q_term)) / np.sum(w) ** 2
        return rd, float(np.sqrt(var)), w
    raise ValueError(f"Mantel-Haenszel needs RR, OR or RD, not {measure}")


def _informative(counts: Counts) -> np.ndarray:
    """Tables with events in some but not all participants of at least one arm.

    Tables with no events (or only events) in both arms carry no information on RR/OR
    and are left out of Q, as ``rma.mh(drop00=TRUE)`` and RevMan do.
    """
    a, c = counts.events1, counts.events2
    b, d = counts.total1 - a, counts.total2 - c
    return ~(((a == 0) & (c == 0)) | ((b == 0) & (d == 0)))


# --- pooling ---------------------------------------------------------------------------


def _egger_p(es: EffectSizes) -> float | None:
    if es.k < EGGER_MIN_K:
        return None
    try:
        return egger_test(es).p
    except ValueError:
        return None


def _heterogeneity_from_q(q: float, df: int) -> tuple[float, float]:
    """I² (percent) and H² from Q (Higgins & Thompson 2002), as metafor prints for FE."""
    if df <= 0:
        return 0.0, 1.0
    i2 = 100 * max(0.0, (q - df) / q) if q > 0 else 0.0
    return i2, q / df


def _heterogeneity_from_tau2(tau2: float, vi: FloatArray) -> tuple[float, float]:
    """I² and H² from tau² and the typical within-study variance (metafor ``print.rma``)."""
    k = len(vi)
    if k < 2:
        return 0.0, 1.0
    w = 1 / vi
    vt = (k - 1) * np.sum(w) / (np.sum(w) ** 2 - np.sum(w**2))
    return float(100 * tau2 / (tau2 + vt)), float((tau2 + vt) / vt)


def _ratio(estimate: float, se: float) -> float:
    """A z or t statistic that stays defined when the SE is exactly zero."""
    if se > 0:
        return estimate / se
    return 0.0 if estimate == 0 else float(np.copysign(np.inf, estimate))


def _q_p(q: float, df: int) -> float:
    return float(special.chdtrc(df, q)) if df > 0 else 1.0


def pool(
    es: EffectSizes,
    *,
    method: Method | str = Method.REML,
    ci_method: CIMethod | str = CIMethod.WALD,
    level: float = 0.95,
) -> MetaResult:
    """Pool the studies in ``es`` with the given tau² (or MH) method and CI method."""
    method = Method(method)
    ci_method = CIMethod.parse(ci_method) if isinstance(ci_method, str) else ci_method
    if es.k < 1:
        raise ValueError("at least one study is needed")
    if method.uses_counts:
        return _pool_mh(es, method, ci_method, level)
    yi, vi = es.yi, es.vi
    k = es.k
    q = q_statistic(yi, vi)
    tau2 = 0.0 if method is Method.FE or k < 2 else _TAU2[method](yi, vi)
    if method is Method.FE:
        i2, h2 = _heterogeneity_from_q(q, k - 1)
    else:
        i2, h2 = _heterogeneity_from_tau2(tau2, vi)
    return _finish(es, method, ci_method, level, tau2, q, k - 1, i2, h2)


def _finish(
    es: EffectSizes,
    method: Method,
    ci_method: CIMethod,
    level: float,
    tau2: float,
    q: float,
    q_df: int,
    i2: float,
    h2: float,
    mh: _MH | None = None,
) -> MetaResult:
    """Inverse-variance estimate with weights 1/(vi + tau²) (or a given MH fit), CI, PI."""
    yi, vi = es.yi, es.vi
    k = es.k
    if mh is None:
        w = 1 / (vi + tau2)
        estimate = _fe_mean(yi, w)
        if ci_method is CIMethod.HKSJ:
            if k < 2:
                raise ValueError("the Hartung-Knapp-Sidik-Jonkman CI needs at least 2 studies")
            # Hartung & Knapp (2001), Sidik & Jonkman (2002): weighted residual variance.
            se = float(np.sqrt(np.sum(w * (yi - estimate) ** 2) / ((k - 1) * np.sum(w))))
        else:
            se = float(np.sqrt(1 / np.sum(w)))
    else:
        w, estimate, se = mh.weights, mh.estimate, mh.se
    df = k - 1 if ci_method is CIMethod.HKSJ else None
    crit = quantile(0.5 + level / 2, df)
    statistic = _ratio(estimate, se)
    p = two_sided_p(statistic, df)
    pi_half = crit * np.sqrt(se**2 + tau2)
    return MetaResult(
        measure=es.measure,
        method=method,
        ci_method=ci_method,
        level=level,
        k=k,
        estimate=estimate,
        se=se,
        ci=(estimate - crit * se, estimate + crit * se),
        statistic=statistic,
        df=df,
        p=p,
        tau2=tau2,
        i2=i2,
        h2=h2,
        q=q,
        q_df=q_df,
        q_p=_q_p(q, q_df),
        pi=(float(estimate - pi_half), float(estimate + pi_half)),
        studies=es.studies,
        yi=tuple(float(x) for x in yi),
        vi=tuple(float(x) for x in vi),
        weights=tuple(float(x) for x in 100 * w / np.sum(w)),
        egger_p=_egger_p(es),
    )


def _pool_mh(es: EffectSizes, method: Method, ci_method: CIMethod, level: float) -> MetaResult:
    if es.counts is None or not es.measure.is_binary:
        raise ValueError(f"{method} needs events and totals (a binary measure: RR, OR or RD)")
    if ci_method is not CIMethod.WALD:
        raise ValueError(f"{method} is defined with the Wald (normal) CI only")
    estimate, se, mh_weights = mantel_haenszel(es.counts, es.measure)
    keep = _informative(es.counts)
    yi, vi = es.yi[keep], es.vi[keep]
    q_df = max(int(keep.sum()) - 1, 0)
    q = q_statistic(yi, vi, center=estimate)
    i2, h2 = _heterogeneity_from_q(q, q_df)
    if method is Method.MH:
        mh = _MH(estimate, se, mh_weights)
        return _finish(es, method, ci_method, level, 0.0, q, q_df, i2, h2, mh=mh)
    tau2 = tau2_dl(yi, vi, q=q) if len(yi) > 1 else 0.0
    return _finish(es.subset(keep), method, ci_method, level, tau2, q, q_df, i2, h2)


# --- subgroups, sensitivity, small-study effects ---------------------------------------


@dataclass(frozen=True, slots=True)
class SubgroupResult:
    """Pooled results per subgroup and the test for subgroup differences.

    The test is Cochran's Q across the subgroup estimates with weights 1/se² (each
    subgroup with its own tau²), df = number of subgroups - 1, as in RevMan 5
    (Borenstein et al. 2009, ch. 19; Cochrane Handbook 10.11.3.1).
    """

    overall: MetaResult
    subgroups: tuple[tuple[str, MetaResult], ...]
    q_between: float
    df: int
    p: float


def subgroup_analysis(
    es: EffectSizes,
    groups: Sequence[str],
    *,
    method: Method | str = Method.REML,
    ci_method: CIMethod | str = CIMethod.WALD,
    level: float = 0.95,
) -> SubgroupResult:
    """Pool each subgroup separately and test whether the subgroup estimates differ."""
    labels = np.asarray(groups, dtype=object)
    if len(labels) != es.k:
        raise ValueError("one subgroup label per study is required")
    names = list(dict.fromkeys(labels.tolist()))
    fits = tuple(
        (str(g), pool(es.subset(labels == g), method=method, ci_method=ci_method, level=level))
        for g in names
    )
    est = np.array([f.estimate for _, f in fits])
    var = np.array([f.se**2 for _, f in fits])
    q_between = q_statistic(est, var) if len(fits) > 1 else 0.0
    df = len(fits) - 1
    overall = pool(es, method=method, ci_method=ci_method, level=level)
    return SubgroupResult(overall, fits, q_between, df, _q_p(q_between, df))


@dataclass(frozen=True, slots=True)
class LeaveOneOut:
    omitted: str
    result: MetaResult


def leave_one_out(
    es: EffectSizes,
    *,
    method: Method | str = Method.REML,
    ci_method: CIMethod | str = CIMethod.WALD,
    level: float = 0.95,
) -> tuple[LeaveOneOut, ...]:
    """Pool the analysis k times, each time without one study (metafor ``leave1out``)."""
    if es.k < 2:
        raise ValueError("leave-one-out needs at least 2 studies")
    out = []
    for i, name in enumerate(es.studies):
        mask = np.ones(es.k, dtype=bool)
        mask[i] = False
        fit = pool(es.subset(mask), method=method, ci_method=ci_method, level=level)
        out.append(LeaveOneOut(name, fit))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class EggerResult:
    """Egger's regression test: intercept of the standardized effect on precision."""

    intercept: float
    se: float
    statistic: float
    df: int
    p: float


def egger_test(es: EffectSizes) -> EggerResult:
    """Egger et al. (1997): OLS of yi/sei on 1/sei; the intercept's t test (k - 2 df).

    Equivalent to metafor's ``regtest(x, model="lm")`` (weighted regression of yi on
    sei with multiplicative dispersion), whose slope equals this intercept.
    """
    k = es.k
    if k < 3:
        raise ValueError("Egger's test needs at least 3 studies")
    sei = es.sei
    if np.ptp(1 / sei) <= 1e-12 * np.max(1 / sei):
        raise ValueError("Egger's test needs studies of different precision")
    y = es.yi / sei
    x = np.column_stack([np.ones(k), 1 / sei])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    df = k - 2
    sigma2 = float(resid @ resid) / df
    cov = sigma2 * np.linalg.inv(x.T @ x)
    se = float(np.sqrt(cov[0, 0]))
    t = _ratio(float(coef[0]), se)
    return EggerResult(float(coef[0]), se, t, df, two_sided_p(t, df))
