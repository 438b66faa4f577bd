"""Meta-analysis agrees with R's metafor and with RevMan's DL-MH convention.

Reference values come from two places:
* ``reference/metafor_reference.json``, written by ``Rscript scripts/metafor_reference.R``
  (metafor run over fixed and random datasets for every estimator and CI method);
* numbers printed in metafor's documentation and tests, quoted in
  ``/work/shared/data/metafor/README.md``, each with the R call beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acuevidence.evidence import effects, meta

REFERENCE = json.loads((Path(__file__).parent / "reference" / "metafor_reference.json").read_text())
# "at least 4 significant digits"; we hold ourselves to 6
REL = 1e-6
# tau² and I² that metafor reports as (numerically) zero are compared absolutely
ABS = 1e-8


def _effect_sizes(dataset: dict[str, Any], measure: str) -> effects.EffectSizes:
    d = dataset["data"]
    if dataset["kind"] == "binary":
        return effects.binary_effects(
            measure, d["ai"], d["n1i"], d["ci"], d["n2i"], studies=d["study"]
        )
    return effects.continuous_effects(
        measure, d["n1i"], d["m1i"], d["sd1i"], d["n2i"], d["m2i"], d["sd2i"], studies=d["study"]
    )


def _cases(kind: str) -> list[Any]:
    cases = []
    for ds in REFERENCE["datasets"]:
        for measure, ref in ds["measures"].items():
            if kind == "fits":
                for fit in ref["fits"]:
                    cases.append(
                        pytest.param(
                            ds,
                            measure,
                            fit,
                            id=f"{ds['name']}-{measure}-{fit['method']}-{fit['test']}",
                        )
                    )
            elif ref.get(kind):
                cases.append(pytest.param(ds, measure, ref[kind], id=f"{ds['name']}-{measure}"))
    return cases


def test_reference_file_records_r_and_metafor_versions() -> None:
    assert REFERENCE["metafor_version"].startswith("3.8")
    assert REFERENCE["r_version"].startswith("R version")
    assert len(REFERENCE["datasets"]) >= 4


@pytest.mark.parametrize(("dataset", "measure", "fit"), _cases("fits"))
def test_pool_reproduces_metafor_rma(dataset: dict[str, Any], measure: str, fit: dict) -> None:
    """rma(yi, vi, method=<FE|DL|REML|PM>, test=<z|knha>) and predict() of the same fit."""
    es = _effect_sizes(dataset, measure)
    ci_method = "hksj" if fit["test"] == "knha" else "wald"
    res = meta.pool(es, method=fit["method"], ci_method=ci_method)
    assert res.estimate == pytest.approx(fit["estimate"], rel=REL, abs=ABS)
    assert res.se == pytest.approx(fit["se"], rel=REL)
    assert res.ci == pytest.approx(tuple(fit["ci"]), rel=REL, abs=ABS)
    assert res.p == pytest.approx(fit["pval"], rel=REL, abs=1e-12)
    assert res.tau2 == pytest.approx(fit["tau2"], rel=REL, abs=ABS)
    assert res.i2 == pytest.approx(fit["i2"], rel=REL, abs=1e-6)
    assert res.h2 == pytest.approx(fit["h2"], rel=REL)
    assert res.q == pytest.approx(fit["q"], rel=REL, abs=ABS)
    assert res.q_df == fit["q_df"]
    assert res.q_p == pytest.approx(fit["q_p"], rel=REL, abs=1e-12)
    assert res.pi == pytest.approx(tuple(fit["pi"]), rel=REL, abs=ABS)
    assert res.weights == pytest.approx(tuple(fit["weights"]), rel=REL)


@pytest.mark.parametrize(("dataset", "measure", "ref"), _cases("mh"))
def test_mantel_haenszel_reproduces_metafor_rma_mh(
    dataset: dict[str, Any], measure: str, ref: dict
) -> None:
    """rma.mh(ai, n1i, ci, n2i, measure=...): MH estimate, SE, Q around it, MH weights."""
    res = meta.pool(_effect_sizes(dataset, measure), method="MH")
    assert res.estimate == pytest.approx(ref["estimate"], rel=REL)
    assert res.se == pytest.approx(ref["se"], rel=REL)
    assert res.ci == pytest.approx(tuple(ref["ci"]), rel=REL)
    assert res.p == pytest.approx(ref["pval"], rel=REL, abs=1e-12)
    assert res.q == pytest.approx(ref["q"], rel=REL)
    assert res.q_df == ref["q_df"]
    assert res.i2 == pytest.approx(ref["i2"], rel=REL, abs=1e-6)
    assert res.h2 == pytest.approx(ref["h2"], rel=REL)
    assert res.weights == pytest.approx(tuple(ref["weights"]), rel=REL)


@pytest.mark.parametrize(("dataset", "measure", "ref"), _cases("dlmh"))
def test_dl_mh_matches_metafor_with_mh_centred_tau2(
    dataset: dict[str, Any], measure: str, ref: dict
) -> None:
    """rma(yi, vi, tau2=<DL from rma.mh's QE>) as RevMan 5 pools binary random effects."""
    res = meta.pool(_effect_sizes(dataset, measure), method="DL-MH")
    assert res.tau2 == pytest.approx(ref["tau2"], rel=REL, abs=ABS)
    assert res.q == pytest.approx(ref["q"], rel=REL)
    assert res.estimate == pytest.approx(ref["estimate"], rel=REL)
    assert res.se == pytest.approx(ref["se"], rel=REL)
    assert res.ci == pytest.approx(tuple(ref["ci"]), rel=REL)
    assert res.weights == pytest.approx(tuple(ref["weights"]), rel=REL)


@pytest.mark.parametrize(("dataset", "measure", "ref"), _cases("egger"))
def test_egger_test_matches_regtest_lm(dataset: dict[str, Any], measure: str, ref: dict) -> None:
    """regtest(rma(yi, vi, method="FE"), model="lm")."""
    es = _effect_sizes(dataset, measure)
    egger = meta.egger_test(es)
    assert egger.statistic == pytest.approx(ref["statistic"], rel=REL)
    assert egger.df == ref["df"]
    assert egger.p == pytest.approx(ref["p"], rel=REL)
    assert meta.pool(es).egger_p == pytest.approx(ref["p"], rel=REL)


def _bcg(measure: str = "RR") -> effects.EffectSizes:
    ds = next(d for d in REFERENCE["datasets"] if d["name"] == "dat.bcg")
    return _effect_sizes(ds, measure)


def test_egger_p_is_left_out_below_ten_studies() -> None:
    es = _bcg()
    assert meta.pool(es.subset(np.arange(es.k) < 9)).egger_p is None


def test_leave_one_out_matches_metafor_leave1out() -> None:
    ref = REFERENCE["leave1out"]
    out = meta.leave_one_out(_bcg(), method="REML")
    assert [o.omitted for o in out] == list(_bcg().studies)
    assert [o.result.estimate for o in out] == pytest.approx(ref["estimate"], rel=REL)
    assert [o.result.se for o in out] == pytest.approx(ref["se"], rel=REL)
    assert [o.result.tau2 for o in out] == pytest.approx(ref["tau2"], rel=REL)
    assert [o.result.i2 for o in out] == pytest.approx(ref["i2"], rel=REL)


def test_subgroup_difference_test_matches_fe_model_on_subgroup_estimates() -> None:
    """Separate REML fits per allocation group, then rma(b_g, se_g², method="FE")$QE."""
    ref = REFERENCE["subgroups"]
    res = meta.subgroup_analysis(_bcg(), ref["groups"], method="REML")
    assert [g for g, _ in res.subgroups] == [s["group"] for s in ref["subgroups"]]
    for (_, fit), expected in zip(res.subgroups, ref["subgroups"], strict=True):
        assert fit.estimate == pytest.approx(expected["estimate"], rel=REL)
        assert fit.se == pytest.approx(expected["se"], rel=REL)
        assert fit.tau2 == pytest.approx(expected["tau2"], rel=REL, abs=ABS)
    assert res.q_between == pytest.approx(ref["q_between"], rel=REL)
    assert res.df == ref["df"]
    assert res.p == pytest.approx(ref["p"], rel=REL)


# --- values printed in metafor's documentation and tests (README of shared data) --------


def _printed(value: float, expected: float, decimals: int) -> bool:
    return abs(round(value, decimals) - expected) < 10**-decimals / 2


@pytest.mark.parametrize(
    ("measure", "method", "expected"),
    [
        # rma(yi, vi, data=dat.bcg, method="FE"): docs rma.uni.html
        ("RR", "FE", {"estimate": -0.4303, "se": 0.0405, "ci": (-0.5097, -0.3509), "i2": 92.12}),
        # test_misc_metan_vs_rma.uni_with_dat.bcg.r, method="DL"
        ("RR", "DL", {"estimate": -0.7141, "ci": (-1.0644, -0.3638), "tau2": 0.3088}),
        # docs rma.uni.html, default REML
        ("RR", "REML", {"estimate": -0.7145, "se": 0.1798, "tau2": 0.3132, "i2": 92.22}),
        # metan test, measure="OR", method="DL"
        ("OR", "DL", {"estimate": -0.7474, "ci": (-1.1242, -0.3706), "tau2": 0.3663}),
        # metan test, measure="OR", method="EE"
        ("OR", "FE", {"estimate": -0.4361, "ci": (-0.5190, -0.3533)}),
    ],
)
def test_dat_bcg_matches_metafor_documentation(measure: str, method: str, expected: dict) -> None:
    res = meta.pool(_bcg(measure), method=method)
    for key, value in expected.items():
        mine = getattr(res, key)
        if isinstance(value, tuple):
            assert all(_printed(m, v, 4) for m, v in zip(mine, value, strict=True)), (key, mine)
        else:
            decimals = 2 if key == "i2" else 4
            assert _printed(mine, value, decimals), (key, mine, value)


def test_dat_bcg_reml_back_transformed_ci_matches_docs() -> None:
    """predict(res, transf=exp): 0.4894 [0.3441, 0.6962]."""
    res = meta.pool(_bcg(), method="REML").to_json()["exp"]
    assert _printed(res["estimate"], 0.4894, 4)
    assert _printed(res["ci"][0], 0.3441, 4)
    assert _printed(res["ci"][1], 0.6962, 4)


@pytest.mark.parametrize(
    ("method", "tau", "mu", "se"),
    [
        ("PM", 0.3681, -0.3811, 0.2060),
        ("DL", 0.2323, -0.3240, 0.1540),
        ("REML", 0.1843, -0.2980, 0.1343),
    ],
)
def test_clasp_odds_ratios_match_dersimonian2007_example(
    method: str, tau: float, mu: float, se: float
) -> None:
    """test_analysis_example_dersimonian2007.r: escalc("OR", ai, n1i, ci, n2i), rma(...)."""
    es = effects.binary_effects(
        "OR",
        [5, 5, 12, 69, 9, 313],
        [156, 303, 565, 1570, 103, 4659],
        [8, 17, 9, 94, 11, 352],
        [74, 303, 477, 1565, 105, 4650],
    )
    res = meta.pool(es, method=method)
    assert _printed(res.tau, tau, 4)
    assert _printed(res.estimate, mu, 4)
    assert _printed(res.se, se, 4)


# --- published meta-analyses -------------------------------------------------------------

SHARED = Path("/work/shared/data/meta")
LEE2004 = {
    "events1": [18, 5, 9, 32, 9, 11, 69, 3, 1, 11, 7, 4, 1, 24, 16, 28],
    "total1": [100, 50, 20, 135, 23, 18, 122, 25, 30, 30, 44, 47, 30, 40, 50, 110],
    "events2": [20, 18, 7, 31, 10, 12, 80, 12, 1, 19, 16, 6, 13, 71, 53, 25],
    "total2": [100, 50, 20, 139, 23, 18, 122, 25, 30, 30, 39, 47, 30, 80, 88, 111],
}


def test_lee2004_counts_are_those_of_the_shared_dataset() -> None:
    path = SHARED / "lee2004_p6_nausea.json"
    if not path.exists():
        pytest.skip("shared data not mounted")
    studies = json.loads(path.read_text())["studies"]
    for column, values in LEE2004.items():
        assert [s[column] for s in studies] == values


def test_dl_mh_reproduces_the_cochrane_p6_nausea_result() -> None:
    """Lee & Done 2004 (CD003281.pub2): RR 0.72 (95% CI 0.59 to 0.89), random effects."""
    es = effects.binary_effects("RR", **LEE2004)
    out = meta.pool(es, method="DL-MH").to_json()["exp"]
    assert round(out["estimate"], 2) == 0.72
    assert [round(x, 2) for x in out["ci"]] == [0.59, 0.89]
    # and it is the MH-centred Q that makes the difference: plain IV DL rounds to 0.73
    assert round(float(np.exp(meta.pool(es, method="DL").estimate)), 2) == 0.73


def test_ahrq_rmdq_two_trial_md_reproduces_the_printed_ci() -> None:
    """Kwon 2007 + Cherkin 2009: printed 0.81 (-0.27, 1.9), Chi² 0.18, I² 0%."""
    es = effects.mean_difference(
        [24, 158], [5.16, 6.3], [4.9, 5.7], [23, 162], [4.92, 5.4], [4.8, 4.9]
    )
    res = meta.pool(es, method="FE")
    assert round(res.ci[0], 2) == -0.27
    assert round(res.ci[1], 1) == 1.9
    assert round(res.q, 2) == pytest.approx(0.18, abs=0.011)
    assert res.i2 == 0.0
    # rounded published inputs give 0.80; the report printed 0.81
    assert round(res.estimate, 2) == pytest.approx(0.81, abs=0.011)


# --- behaviour ---------------------------------------------------------------------------


def test_confidence_interval_method_recomputes_at_other_levels() -> None:
    res = meta.pool(_bcg(), method="REML", ci_method="hksj")
    ci95 = res.confidence_interval()
    assert (ci95.low, ci95.high) == res.ci
    same = res.confidence_interval(0.95)
    assert (same.low, same.high) == pytest.approx(res.ci)
    ci99 = res.confidence_interval(0.99)
    assert ci99.low < ci95.low and ci99.high > ci95.high


def test_knha_is_accepted_as_an_alias_of_hksj() -> None:
    a = meta.pool(_bcg(), ci_method="knha")
    assert a.ci_method is meta.CIMethod.HKSJ
    assert a.df == 12


def test_single_study_returns_its_own_estimate_without_heterogeneity() -> None:
    es = effects.generic([0.3], [0.04])
    res = meta.pool(es, method="REML")
    assert res.estimate == 0.3
    assert res.se == pytest.approx(0.2)
    assert (res.tau2, res.i2, res.q, res.q_df, res.q_p) == (0.0, 0.0, 0.0, 0, 1.0)
    assert res.weights == (100.0,)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "MH"}, "events and totals"),
        ({"method": "DL-MH"}, "events and totals"),
    ],
)
def test_mh_methods_need_counts(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        meta.pool(effects.generic([0.1, 0.2], [0.01, 0.02], measure="RR"), **kwargs)


def test_mh_refuses_hksj() -> None:
    with pytest.raises(ValueError, match="Wald"):
        meta.pool(_bcg(), method="MH", ci_method="hksj")


def test_hksj_needs_two_studies() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        meta.pool(effects.generic([0.1], [0.01]), ci_method="hksj")


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(ValueError):
        meta.pool(_bcg(), method="ML")


# --- invariants --------------------------------------------------------------------------

studies = st.integers(min_value=2, max_value=25).flatmap(
    lambda k: st.tuples(
        st.lists(st.floats(-5, 5, allow_nan=False), min_size=k, max_size=k),
        st.lists(st.floats(1e-3, 4, allow_nan=False), min_size=k, max_size=k),
    )
)
methods = st.sampled_from(["FE", "DL", "REML", "PM"])


@settings(max_examples=150, deadline=None)
@given(studies, methods, st.sampled_from(["wald", "hksj"]))
def test_pooling_invariants(data: tuple[list[float], list[float]], method: str, ci: str) -> None:
    yi, vi = data
    res = meta.pool(effects.generic(yi, vi), method=method, ci_method=ci)
    assert res.tau2 >= 0
    assert 0 <= res.i2 < 100
    assert res.h2 >= 1 or method == "FE"
    assert sum(res.weights) == pytest.approx(100)
    assert min(yi) - 1e-9 <= res.estimate <= max(yi) + 1e-9
    assert res.ci[0] <= res.estimate <= res.ci[1]
    assert res.pi[0] <= res.ci[0] + 1e-12 and res.pi[1] >= res.ci[1] - 1e-12
    assert 0 <= res.p <= 1 and 0 <= res.q_p <= 1


@settings(max_examples=60, deadline=None)
@given(studies, methods, st.randoms(use_true_random=False))
def test_study_order_does_not_matter(
    data: tuple[list[float], list[float]], method: str, rnd
) -> None:
    yi, vi = data
    order = list(range(len(yi)))
    rnd.shuffle(order)
    a = meta.pool(effects.generic(yi, vi), method=method)
    b = meta.pool(effects.generic([yi[i] for i in order], [vi[i] for i in order]), method=method)
    assert b.estimate == pytest.approx(a.estimate, rel=1e-7, abs=1e-9)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(studies, methods, st.floats(-3, 3))
def test_shifting_all_estimates_shifts_the_pooled_estimate(
    data: tuple[list[float], list[float]], method: str, shift: float
) -> None:
    yi, vi = data
    a = meta.pool(effects.generic(yi, vi), method=method)
    b = meta.pool(effects.generic([y + shift for y in yi], vi), method=method)
    assert b.estimate == pytest.approx(a.estimate + shift, abs=1e-7)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(studies)
def test_random_effects_equal_fixed_effect_when_tau2_is_zero(
    data: tuple[list[float], list[float]],
) -> None:
    yi, vi = data
    es = effects.generic(yi, vi)
    fe = meta.pool(es, method="FE")
    for method in ("DL", "REML", "PM"):
        re = meta.pool(es, method=method)
        if re.tau2 == 0:
            assert re.estimate == pytest.approx(fe.estimate)
            assert re.se == pytest.approx(fe.se)
