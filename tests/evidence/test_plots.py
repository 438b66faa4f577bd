"""Forest and funnel plots are accessible, scalable SVG that show the analysis' numbers."""

from __future__ import annotations

import math

import pytest
from lxml import etree

from acuevidence.evidence import effects, meta, plots

NS = {"s": "http://www.w3.org/2000/svg"}
BCG = effects.binary_effects(
    "RR",
    [4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27],
    [123, 306, 231, 13598, 5069, 1541, 2545, 88391, 7499, 1716, 50634, 2498, 16913],
    [11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29],
    [139, 303, 220, 12867, 5808, 1451, 629, 88391, 7277, 1665, 27338, 2341, 17854],
    studies=[f"Trial {i}" for i in range(1, 14)],
)


def _parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode())


def _texts(root: etree._Element) -> list[str]:
    return [t.text or "" for t in root.iterfind(".//s:text", NS)]


@pytest.fixture(scope="module")
def reml() -> meta.MetaResult:
    return meta.pool(BCG, method="REML")


def test_forest_plot_scales_and_is_labelled_for_screen_readers(reml: meta.MetaResult) -> None:
    root = _parse(plots.forest_plot(reml, title="BCG vaccine and tuberculosis"))
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    title = root.find("s:title", NS)
    desc = root.find("s:desc", NS)
    assert title is not None and title.text == "BCG vaccine and tuberculosis"
    assert desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # the description states the result in words, back-transformed for a ratio
    assert "13 studies" in desc.text and "0.49 [0.34, 0.70]" in desc.text
    assert "prediction interval 0.15 to 1.55" in desc.text and "I² = 92%" in desc.text


def test_forest_plot_shows_every_study_with_weight_and_ci(reml: meta.MetaResult) -> None:
    root = _parse(plots.forest_plot(reml))
    assert len(root.findall(".//s:rect", NS)) == reml.k
    texts = _texts(root)
    for name, weight in zip(reml.studies, reml.weights, strict=True):
        assert name in texts
        assert f"{weight:.1f}%" in texts
    assert "0.41 [0.13, 1.26]" in texts  # Trial 1, exp scale


def test_forest_plot_has_diamond_prediction_interval_and_heterogeneity(
    reml: meta.MetaResult,
) -> None:
    root = _parse(plots.forest_plot(reml, favours=("Favours vaccine", "Favours control")))
    assert len(root.findall(".//s:polygon", NS)) == 1
    dashed = [ln for ln in root.iterfind(".//s:line", NS) if ln.get("stroke-dasharray")]
    assert len(dashed) == 1
    texts = _texts(root)
    assert "Prediction interval" in texts
    assert any(t.startswith("Heterogeneity: τ² = 0.313; Q = 152.23, df = 12") for t in texts)
    assert "Favours vaccine" in texts and "Favours control" in texts
    # log axis with back-transformed labels from the 1-2-5 series
    axis = [t for t in texts if t.replace(".", "").isdigit()]
    assert "1" in axis and len(axis) >= 3
    assert set(axis) <= {f"{t:g}" for t in plots.LOG_TICKS}


def test_fixed_effect_forest_plot_has_no_prediction_interval() -> None:
    root = _parse(plots.forest_plot(meta.pool(BCG, method="FE")))
    assert "Prediction interval" not in _texts(root)
    assert not [ln for ln in root.iterfind(".//s:line", NS) if ln.get("stroke-dasharray")]


def test_study_rows_carry_their_numbers_as_tooltips(reml: meta.MetaResult) -> None:
    root = _parse(plots.forest_plot(reml))
    tips = [t.text for t in root.iterfind(".//s:g/s:title", NS)]
    assert len(tips) == reml.k
    assert tips[0].startswith("Trial 1: RR 0.41 [0.13, 1.26], weight")


def test_table_rows_repeat_the_plotted_numbers(reml: meta.MetaResult) -> None:
    rows = plots.table_rows(reml)
    assert rows[0] == ("Trial 1", "0.41 [0.13, 1.26]", f"{reml.weights[0]:.1f}%")


def test_funnel_plot_has_one_point_per_study_and_reports_egger(reml: meta.MetaResult) -> None:
    root = _parse(plots.funnel_plot(reml))
    assert len(root.findall(".//s:circle", NS)) == reml.k
    desc = root.find("s:desc", NS).text
    assert f"Egger's test p = {reml.egger_p:.3f}" in desc
    assert root.get("role") == "img" and root.get("width") == "100%"


def test_funnel_plot_says_when_egger_is_not_reported() -> None:
    small = meta.pool(effects.generic([0.1, 0.3, -0.2], [0.04, 0.09, 0.02], measure="MD"))
    desc = _parse(plots.funnel_plot(small)).find("s:desc", NS).text
    assert "fewer than 10 studies" in desc


def test_continuous_forest_plot_uses_a_linear_axis_around_zero() -> None:
    res = meta.pool(
        effects.mean_difference(
            [24, 158], [5.16, 6.3], [4.9, 5.7], [23, 162], [4.92, 5.4], [4.8, 4.9]
        ),
        method="FE",
    )
    texts = _texts(_parse(plots.forest_plot(res)))
    assert "0" in texts and "MD [95% CI]" in texts


def test_log_ticks_bracket_the_data_and_include_one() -> None:
    ticks = [round(math.exp(t), 6) for t in plots.log_ticks(math.log(0.3), math.log(1.6))]
    assert ticks[0] <= 0.3 and ticks[-1] >= 1.6 and 1.0 in ticks


def test_nice_ticks_cover_the_range() -> None:
    ticks = plots.nice_ticks(-1.07, 0.36)
    assert ticks[0] <= -1.07 and ticks[-1] >= 0.36 and 0.0 in ticks
