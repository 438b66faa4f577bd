"""Consistency checks: the seed study checks out, and each check catches what it should."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from acuevidence.evidence import checks
from acuevidence.evidence.checks import Level, Reported, ReportedP, check_comparison


def _by_code(findings: list[checks.Finding]) -> dict[str, list[checks.Finding]]:
    out: dict[str, list[checks.Finding]] = {}
    for f in findings:
        out.setdefault(f.code, []).append(f)
    return out


# ../shared/seeds/study-page.txt: "upper limb scores 8.86±2.86 vs. 6.08±3.99 (difference 2.78;
# 95% CI 1.42–4.15; p<0.001) and lower limb scores 10.35±1.80 vs. 6.86±3.04 (difference 3.49;
# 95% CI 2.51–4.47; p<0.001)", n=51 per arm, 102 in all, integer-valued rating scale.
SEED = [
    ("8.86", "2.86", "6.08", "3.99", "2.78", "1.42", "4.15"),
    ("10.35", "1.80", "6.86", "3.04", "3.49", "2.51", "4.47"),
]


@pytest.mark.parametrize(("m1", "s1", "m2", "s2", "est", "lo", "hi"), SEED)
def test_seed_study_comparisons_check_out(
    m1: str, s1: str, m2: str, s2: str, est: str, lo: str, hi: str
) -> None:
    findings = check_comparison(
        n1=51,
        mean1=m1,
        sd1=s1,
        n2=51,
        mean2=m2,
        sd2=s2,
        estimate=est,
        ci_lower=lo,
        ci_upper=hi,
        p="<0.001",
        total=102,
        grim_items=1,
        claims_significance=True,
    )
    codes = _by_code(findings)
    assert {"difference", "ci", "p-value", "significance-ci", "arm-total", "grim"} <= set(codes)
    assert all(f.level is Level.OK for f in findings), [str(f) for f in findings]
    assert len(codes["grim"]) == 2


def test_seed_upper_limb_ci_needs_the_rounding_allowance() -> None:
    """Unrounded inputs give 1.42 to 4.14; the printed 4.15 is within rounding of the SDs."""
    finding = _by_code(
        check_comparison(
            n1=51,
            mean1="8.86",
            sd1="2.86",
            n2=51,
            mean2="6.08",
            sd2="3.99",
            ci_lower="1.42",
            ci_upper="4.15",
        )
    )["ci"][0]
    assert finding.level is Level.OK
    assert "expected 1.42 to 4.14" in finding.message and "reported 1.42 to 4.15" in finding.message


def test_ci_far_from_the_recomputed_one_fails() -> None:
    f = _by_code(
        check_comparison(
            n1=51,
            mean1="10.35",
            sd1="1.80",
            n2=51,
            mean2="6.86",
            sd2="3.04",
            ci_lower="2.31",
            ci_upper="4.47",
        )
    )["ci"][0]
    assert f.level is Level.FAIL
    assert "expected 2.51 to 4.47" in f.message and "reported 2.31 to 4.47" in f.message


def test_ci_slightly_off_is_a_warning() -> None:
    f = _by_code(
        check_comparison(
            n1=51,
            mean1="10.35",
            sd1="1.80",
            n2=51,
            mean2="6.86",
            sd2="3.04",
            ci_lower="2.45",
            ci_upper="4.47",
        )
    )["ci"][0]
    assert f.level is Level.WARN


def test_welch_interval_is_accepted() -> None:
    # very unequal arms and SDs, CI computed with Welch's t
    n1, n2, s1, s2, d = 10, 80, 9.0, 2.0, 5.0
    se = math.sqrt(s1**2 / n1 + s2**2 / n2)
    df = se**4 / ((s1**2 / n1) ** 2 / (n1 - 1) + (s2**2 / n2) ** 2 / (n2 - 1))
    half = stats.t.ppf(0.975, df) * se
    f = _by_code(
        check_comparison(
            n1=n1,
            mean1="15.00",
            sd1="9.00",
            n2=n2,
            mean2="10.00",
            sd2="2.00",
            ci_lower=f"{d - half:.2f}",
            ci_upper=f"{d + half:.2f}",
        )
    )["ci"][0]
    assert f.level is Level.OK and "Welch" in f.message


def test_reversed_difference_is_flagged_as_direction() -> None:
    f = _by_code(
        check_comparison(
            n1=20, mean1="5.0", sd1="1.0", n2=20, mean2="7.0", sd2="1.0", estimate="2.0"
        )
    )
    assert f["difference-direction"][0].level is Level.WARN


def test_wrong_difference_fails() -> None:
    f = _by_code(
        check_comparison(
            n1=20, mean1="5.0", sd1="1.0", n2=20, mean2="7.0", sd2="1.0", estimate="-1.5"
        )
    )["difference"][0]
    assert f.level is Level.FAIL
    assert "expected -2.00" in f.message and "reported -1.5" in f.message


@pytest.mark.parametrize(
    ("p", "level"),
    [("<0.001", Level.OK), ("0.03", Level.WARN), (">0.05", Level.FAIL), ("p = 0.20", Level.FAIL)],
)
def test_p_value_against_the_t_test_from_arm_data(p: str, level: Level) -> None:
    f = _by_code(
        check_comparison(n1=51, mean1="8.86", sd1="2.86", n2=51, mean2="6.08", sd2="3.99", p=p)
    )["p-value"][0]
    assert f.level is level, f.message


def test_exact_p_value_within_rounding_passes() -> None:
    # t = 1 / sqrt(2/30) = 3.873 with 58 df -> p = 0.000276; a p of 0.0003 is fine
    f = _by_code(
        check_comparison(
            n1=30, mean1="11.00", sd1="1.00", n2=30, mean2="10.00", sd2="1.00", p="0.0003"
        )
    )["p-value"][0]
    assert f.level is Level.OK


@pytest.mark.parametrize(
    ("p", "level"),
    [("0.001", Level.OK), ("<0.05", Level.OK), ("0.01", Level.WARN), ("0.2", Level.FAIL)],
)
def test_p_value_implied_by_a_ratio_and_its_ci(p: str, level: Level) -> None:
    """RR 0.72 (0.59 to 0.89): z = ln 0.72 / SE(log) gives p of about 0.0017."""
    f = _by_code(
        check_comparison(measure="RR", estimate="0.72", ci_lower="0.59", ci_upper="0.89", p=p)
    )["p-value"][0]
    assert f.level is level, f.message


def test_significance_claimed_while_ci_includes_the_null_fails() -> None:
    f = _by_code(
        check_comparison(estimate="1.2", ci_lower="-0.3", ci_upper="2.7", claims_significance=True)
    )["significance-ci"][0]
    assert f.level is Level.FAIL and "includes the null 0" in f.message


def test_ratio_ci_is_judged_against_one() -> None:
    f = _by_code(
        check_comparison(measure="OR", estimate="0.8", ci_lower="0.6", ci_upper="1.1", p="0.04")
    )
    assert f["significance-ci"][0].level is Level.FAIL


@pytest.mark.parametrize(
    ("mean", "n", "ok"),
    [("5.19", 28, False), ("5.18", 28, True), ("5.21", 28, True), ("3.45", 20, True)],
)
def test_grim(mean: str, n: int, ok: bool) -> None:
    """Brown & Heathers (2017): 5.19 is not k/28 for any integer k; 5.18 and 5.21 are."""
    assert (checks.grim(mean, n).level is Level.OK) is ok


def test_grim_counts_items() -> None:
    """3.43 is not k/20 (3.40 or 3.45), but with 3 items per person 206/60 = 3.433 is."""
    assert checks.grim("3.43", 20).level is Level.FAIL
    assert checks.grim("3.43", 20, items=3).level is Level.OK


def test_grim_is_not_informative_for_large_samples() -> None:
    f = checks.grim("5.19", 200)
    assert f.level is Level.OK and "not informative" in f.message


@pytest.mark.parametrize(
    ("arms", "total", "level"),
    [([51, 51], 102, Level.OK), ([48, 50], 102, Level.WARN), ([60, 51], 102, Level.FAIL)],
)
def test_arm_sizes_against_total(arms: list[int], total: int, level: Level) -> None:
    assert checks.check_arm_total(arms, total).level is level


@pytest.mark.parametrize(
    ("percent", "level"),
    [("30.0", Level.OK), ("30", Level.OK), ("30.6", Level.WARN), ("33", Level.FAIL)],
)
def test_percent_against_events_over_total(percent: str, level: Level) -> None:
    f = checks.check_percent(12, 40, percent)
    assert f.level is level and "12/40" in f.message


def test_sd_impossible_for_the_scale_range_fails() -> None:
    """Values in 0..10 with a mean that prints as 9.5 (9.45 at least) and n = 30 cannot have
    an SD above √(9.45·0.55·30/29) = 2.32."""
    f = checks.check_sd_range("9.5", "3.0", 30, scale_min=0, scale_max=10)
    assert f.level is Level.FAIL and "at most 2.32" in f.message
    assert checks.check_sd_range("5.0", "3.0", 30, scale_min=0, scale_max=10).level is Level.OK


def test_mean_outside_the_scale_fails() -> None:
    assert checks.check_sd_range("12", "1", 30, scale_min=0, scale_max=10).level is Level.FAIL


def test_reported_numbers_keep_their_printed_decimals() -> None:
    assert Reported.parse("4.10").decimals == 2
    assert Reported.parse(4.1).decimals == 1
    assert Reported.parse(12).decimals == 0
    assert Reported.parse("4.10").low == pytest.approx(4.095)


@pytest.mark.parametrize(
    ("text", "relation", "value"),
    [
        ("p<0.001", "<", 0.001),
        ("P = .03", "=", 0.03),
        ("> 0.05", ">", 0.05),
        ("≤0.05", "<", 0.05),
        ("0.2", "=", 0.2),
    ],
)
def test_p_value_forms_are_parsed(text: str, relation: str, value: float) -> None:
    p = ReportedP.parse(text)
    assert (p.relation, p.value.value) == (relation, value)


def test_garbage_p_value_is_rejected() -> None:
    with pytest.raises(ValueError):
        ReportedP.parse("n.s.")


def test_findings_serialise_to_plain_json() -> None:
    f = checks.grim("5.19", 28)
    assert f.to_json() == {"level": "fail", "code": "grim", "message": f.message}
    assert "expected" in f.message and "reported mean 5.19" in f.message


arms = st.tuples(
    st.integers(5, 300),
    st.floats(0, 100),
    st.floats(0.5, 30),
    st.integers(5, 300),
    st.floats(0, 100),
    st.floats(0.5, 30),
)


@settings(max_examples=150, deadline=None)
@given(arms, st.sampled_from(["pooled", "welch"]))
def test_correctly_computed_and_rounded_reports_never_fail(arm: tuple, kind: str) -> None:
    """No false alarms: numbers computed correctly and printed to 2 decimals pass."""
    n1, m1, s1, n2, m2, s2 = arm
    m1, s1, m2, s2 = (round(x, 2) for x in (m1, s1, m2, s2))
    d = m1 - m2
    if kind == "pooled":
        df = n1 + n2 - 2
        se = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / df * (1 / n1 + 1 / n2))
    else:
        a, b = s1**2 / n1, s2**2 / n2
        se = math.sqrt(a + b)
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    half = stats.t.ppf(0.975, df) * se
    p = 2 * stats.t.sf(abs(d) / se, df)
    findings = check_comparison(
        n1=n1,
        mean1=f"{m1:.2f}",
        sd1=f"{s1:.2f}",
        n2=n2,
        mean2=f"{m2:.2f}",
        sd2=f"{s2:.2f}",
        estimate=f"{d:.2f}",
        ci_lower=f"{d - half:.2f}",
        ci_upper=f"{d + half:.2f}",
        p="<0.001" if p < 0.001 else f"{p:.3f}",
    )
    bad = [f for f in findings if f.code != "significance-ci" and f.level is not Level.OK]
    assert not bad, [f.message for f in bad]


def test_arm_checks_are_skipped_with_fewer_than_two_per_arm() -> None:
    codes = {
        f.code
        for f in check_comparison(
            n1=1,
            mean1="2",
            sd1="1",
            n2=1,
            mean2="1",
            sd2="1",
            estimate="1",
            ci_lower="0.5",
            ci_upper="1.5",
        )
    }
    assert "ci" not in codes and "difference" not in codes
