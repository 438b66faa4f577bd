"""Effect sizes agree with metafor's escalc(), and the approximations behave as published."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acuevidence.evidence import effects

REFERENCE = json.loads((Path(__file__).parent / "reference" / "metafor_reference.json").read_text())


@pytest.mark.parametrize(
    "dataset", REFERENCE["datasets"], ids=[d["name"] for d in REFERENCE["datasets"]]
)
def test_yi_and_vi_match_metafor_escalc(dataset: dict) -> None:
    d = dataset["data"]
    for measure, ref in dataset["measures"].items():
        if dataset["kind"] == "binary":
            es = effects.binary_effects(measure, d["ai"], d["n1i"], d["ci"], d["n2i"])
        else:
            es = effects.continuous_effects(
                measure, d["n1i"], d["m1i"], d["sd1i"], d["n2i"], d["m2i"], d["sd2i"]
            )
        assert es.yi == pytest.approx(ref["yi"], rel=1e-10, abs=1e-12), measure
        assert es.vi == pytest.approx(ref["vi"], rel=1e-10), measure


def test_smd_is_hedges_g_with_metafor_ls_variance() -> None:
    """escalc("SMD", m1i=10, sd1i=2, n1i=10, m2i=9, sd2i=3, n2i=12) -> 0.3703, 0.1864."""
    es = effects.standardized_mean_difference(10, 10, 2, 12, 9, 3)
    assert round(float(es.yi[0]), 4) == 0.3703
    assert round(float(es.vi[0]), 4) == 0.1864


def test_zero_cell_gets_half_added_to_all_four_cells() -> None:
    """escalc("RD", ai=0, n1i=10, ci=3, n2i=10) -> -0.2727, 0.0237."""
    es = effects.binary_effects("RD", 0, 10, 3, 10)
    assert round(float(es.yi[0]), 4) == -0.2727
    assert round(float(es.vi[0]), 4) == 0.0237


def test_double_zero_table_is_kept_with_correction() -> None:
    """escalc("RR", ai=0, n1i=10, ci=0, n2i=10) -> 0, 3.8182."""
    es = effects.binary_effects("RR", 0, 10, 0, 10)
    assert float(es.yi[0]) == 0
    assert round(float(es.vi[0]), 4) == 3.8182


def test_tables_without_zero_cells_are_not_corrected() -> None:
    es = effects.binary_effects("OR", 10, 20, 5, 20)
    assert float(es.yi[0]) == pytest.approx(math.log((10 * 15) / (10 * 5)))


def test_hedges_correction_is_close_to_the_usual_approximation() -> None:
    m = np.array([5.0, 20.0, 100.0])
    assert effects.hedges_correction(m) == pytest.approx(1 - 3 / (4 * m - 1), rel=2e-3)


def test_wrong_measure_for_the_data_is_rejected() -> None:
    with pytest.raises(ValueError):
        effects.binary_effects("MD", 1, 10, 2, 10)
    with pytest.raises(ValueError):
        effects.continuous_effects("RR", 10, 1, 1, 10, 1, 1)


def test_se_from_ci_on_the_difference_scale() -> None:
    assert effects.se_from_ci(1.42, 4.15) == pytest.approx((4.15 - 1.42) / (2 * 1.959964), rel=1e-6)


def test_se_from_ci_uses_the_log_scale_for_ratios() -> None:
    se = effects.se_from_ci(0.59, 0.89, ratio=True)
    assert se == pytest.approx((math.log(0.89) - math.log(0.59)) / (2 * 1.959964), rel=1e-6)


def test_se_from_ci_with_t_distribution_is_smaller() -> None:
    assert effects.se_from_ci(1, 3, df=10) < effects.se_from_ci(1, 3)


def test_se_from_ci_rejects_reversed_or_nonpositive_ratio_limits() -> None:
    with pytest.raises(ValueError):
        effects.se_from_ci(3, 1)
    with pytest.raises(ValueError):
        effects.se_from_ci(0, 1, ratio=True)


# Quartiles and extremes of a large standard normal sample: the estimators should recover
# mean 0 and SD 1 (Wan et al. 2014 show they are unbiased for normal data).
Z_Q3 = 0.6744897501960817


def test_wan_iqr_estimate_recovers_a_normal_sd() -> None:
    est = effects.mean_sd_from_median(n=10_000, median=0.0, q1=-Z_Q3, q3=Z_Q3)
    assert est.method == "wan2014-S2" and est.approximate
    assert est.mean == pytest.approx(0.0, abs=1e-12)
    assert est.sd == pytest.approx(1.0, rel=1e-3)


def test_wan_range_estimate_uses_expected_range_of_n_normals() -> None:
    n = 50
    expected_range = 2 * 2.2491  # E[max] of 50 standard normals (Harter 1961 tables)
    est = effects.mean_sd_from_median(
        n=n, median=1.0, minimum=1 - expected_range / 2, maximum=1 + expected_range / 2
    )
    assert est.method == "wan2014-S1"
    assert est.mean == pytest.approx(1.0)
    assert est.sd == pytest.approx(1.0, rel=0.02)


def test_wan_all_five_numbers_uses_scenario_three() -> None:
    est = effects.mean_sd_from_median(n=100, median=5, minimum=1, maximum=9, q1=4, q3=6)
    assert est.method == "wan2014-S3"
    assert est.mean == pytest.approx((1 + 8 + 10 + 12 + 9) / 8)


def test_median_conversion_needs_a_spread() -> None:
    with pytest.raises(ValueError, match="range"):
        effects.mean_sd_from_median(n=20, median=3.0)


def test_change_from_baseline_follows_the_cochrane_formula() -> None:
    same = effects.change_from_baseline(
        mean_baseline=10, sd_baseline=4, mean_final=7, sd_final=4, correlation=0.5
    )
    assert same.mean == -3 and same.sd == pytest.approx(4.0) and same.approximate
    independent = effects.change_from_baseline(
        mean_baseline=0, sd_baseline=3, mean_final=0, sd_final=4, correlation=0.0
    )
    assert independent.sd == pytest.approx(5.0)


arm = st.tuples(st.integers(2, 500), st.floats(-100, 100), st.floats(0.01, 50))


@settings(max_examples=100, deadline=None)
@given(arm, arm, st.sampled_from(["MD", "SMD"]))
def test_continuous_effects_change_sign_when_arms_are_swapped(a: tuple, b: tuple, m: str) -> None:
    forward = effects.continuous_effects(m, a[0], a[1], a[2], b[0], b[1], b[2])
    backward = effects.continuous_effects(m, b[0], b[1], b[2], a[0], a[1], a[2])
    assert backward.yi == pytest.approx(-forward.yi, abs=1e-9)
    assert backward.vi == pytest.approx(forward.vi, rel=1e-9)
    assert forward.vi[0] > 0


counts = st.integers(1, 1000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=100, deadline=None)
@given(counts, counts, st.sampled_from(["RR", "OR", "RD"]))
def test_binary_effects_change_sign_when_arms_are_swapped(a: tuple, b: tuple, m: str) -> None:
    forward = effects.binary_effects(m, a[0], a[1], b[0], b[1])
    backward = effects.binary_effects(m, b[0], b[1], a[0], a[1])
    assert backward.yi == pytest.approx(-forward.yi, abs=1e-9)
    assert backward.vi == pytest.approx(forward.vi, rel=1e-9)
    assert np.isfinite(forward.yi).all() and forward.vi[0] > 0
