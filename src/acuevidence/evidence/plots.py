"""Forest and funnel plots as self-contained SVG strings (no plotting library needed).

The drawings scale to any width (``viewBox`` with ``width="100%"``), use a large base font
so that they stay legible when a phone shrinks them, draw in black and one dark blue so
that they print well in greyscale, and carry ``<title>``/``<desc>`` (referenced with
``aria-labelledby``) that tell a screen reader the result in words. Pages should show
the same numbers as an HTML table beside the figure.

Ratio measures are drawn on a log axis with back-transformed labels.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from acuevidence.evidence.effects import quantile
from acuevidence.evidence.meta import MetaResult, Method

FONT = 15
ROW = 26
INK = "#000"
ACCENT = "#1f4e79"  # contrast 8.6:1 on white
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
MAX_LABEL = 24


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick positions covering [lo, hi] with about ``count`` intervals."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [math.floor(lo / step) * step]
    while ticks[-1] < hi - step * 1e-9:
        ticks.append(ticks[-1] + step)
    ticks = [round(t, 10) for t in ticks]
    return ticks


LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def log_ticks(lo: float, hi: float) -> list[float]:
    """Tick positions (as logs) for a ratio axis spanning log values [lo, hi]: the 1-2-5
    series, with the outermost ticks just beyond the data."""
    inside = [math.log(t) for t in LOG_TICKS if lo <= math.log(t) <= hi]
    below = [math.log(t) for t in LOG_TICKS if math.log(t) < lo][-1:]
    above = [math.log(t) for t in LOG_TICKS if math.log(t) > hi][:1]
    ticks = below + inside + above
    if len(ticks) > 7:
        ticks = ticks[:: math.ceil(len(ticks) / 7)] + ([0.0] if 0.0 not in ticks[::2] else [])
        ticks = sorted(set(ticks))
    return ticks


def _svg(width: int, height: int, title: str, desc: str, ident: str) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "width": "100%",
            "preserveAspectRatio": "xMinYMin meet",
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
            "font-family": FONT_FAMILY,
            "font-size": str(FONT),
            "fill": INK,
        },
    )
    ET.SubElement(svg, "title", {"id": f"{ident}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{ident}-desc"}).text = desc
    return svg


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", **attrs})
    el.text = text
    return el


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, **attrs: str) -> None:
    ET.SubElement(
        parent,
        "line",
        {
            "x1": f"{x1:.1f}",
            "y1": f"{y1:.1f}",
            "x2": f"{x2:.1f}",
            "y2": f"{y2:.1f}",
            "stroke": INK,
            **attrs,
        },
    )


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _fmt(value: float, ratio: bool) -> str:
    return f"{math.exp(value):.2f}" if ratio else f"{value:.2f}"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def heterogeneity_line(result: MetaResult) -> str:
    """One line such as "Heterogeneity: τ² = 0.31; Q = 152.23, df = 12 (p < 0.001); I² = 92%"."""
    parts = []
    if result.method not in (Method.FE, Method.MH):
        parts.append(f"τ² = {result.tau2:.3g}")
    parts.append(f"Q = {result.q:.2f}, df = {result.q_df} ({_p(result.q_p)})")
    parts.append(f"I² = {result.i2:.0f}%")
    return "Heterogeneity: " + "; ".join(parts)


def _model_name(result: MetaResult) -> str:
    if result.method is Method.FE:
        return "Common effect (inverse variance)"
    if result.method is Method.MH:
        return "Common effect (Mantel-Haenszel)"
    ci = ", HKSJ CI" if result.df is not None else ""
    return f"Random effects ({result.method.value}{ci})"


def forest_plot(
    result: MetaResult,
    *,
    title: str | None = None,
    favours: tuple[str, str] | None = None,
    ident: str = "forest",
) -> str:
    """A forest plot of ``result``: one row per study (weight, estimate and CI as text and
    as a square sized by weight with its CI line), the pooled diamond, the prediction
    interval for random-effects models, the null line, the axis and the heterogeneity line.

    ``favours`` labels the two sides of the null, e.g. ("Favours acupuncture", "Favours
    sham"); ``ident`` keeps element ids unique when several plots share a page.
    """
    ratio = result.measure.is_ratio
    measure = result.measure.value
    k = result.k
    plot_x0, plot_x1, text_x, width = 210, 440, 452, 690
    top = 2 * ROW
    pooled_y = top + k * ROW + ROW
    pi_y = pooled_y + ROW
    has_pi = result.method not in (Method.FE, Method.MH)
    axis_y = (pi_y if has_pi else pooled_y) + ROW
    height = axis_y + 3 * ROW + (ROW if favours else 0)

    lows, highs = zip(*study_intervals(result), strict=True) if k else ((), ())
    null = 0.0
    span_lo = min([null, *lows, result.ci[0], result.pi[0] if has_pi else result.ci[0]])
    span_hi = max([null, *highs, result.ci[1], result.pi[1] if has_pi else result.ci[1]])
    ticks = log_ticks(span_lo, span_hi) if ratio else nice_ticks(span_lo, span_hi)
    x_lo, x_hi = min(ticks[0], span_lo), max(ticks[-1], span_hi)

    def x(value: float) -> float:
        return plot_x0 + (value - x_lo) / (x_hi - x_lo) * (plot_x1 - plot_x0)

    pooled_text = (
        f"{_fmt(result.estimate, ratio)} [{_fmt(result.ci[0], ratio)}, {_fmt(result.ci[1], ratio)}]"
    )
    desc = (
        f"Forest plot of {k} studies, {measure}. {_model_name(result)}: pooled {measure} "
        f"{pooled_text} (95% CI)"
        + (
            f", prediction interval {_fmt(result.pi[0], ratio)} to {_fmt(result.pi[1], ratio)}"
            if has_pi
            else ""
        )
        + f". {heterogeneity_line(result)}."
    )
    svg = _svg(width, height, title or f"Forest plot ({measure})", desc, ident)

    bold = {"font-weight": "bold"}
    _text(svg, 0, ROW, "Study", **bold)
    _text(svg, text_x, ROW, f"{measure} [95% CI]", **bold)
    _text(svg, width - 2, ROW, "Weight", **bold, **{"text-anchor": "end"})
    _line(svg, 0, ROW + 8, width, ROW + 8, **{"stroke-width": "1"})
    _line(svg, x(null), top - ROW / 2, x(null), axis_y, **{"stroke-width": "1"})

    max_w = max(result.weights) if result.weights else 1.0
    for i, (name, yi, lo, hi, w) in enumerate(
        zip(result.studies, result.yi, lows, highs, result.weights, strict=True)
    ):
        cy = top + i * ROW + ROW / 2
        row = ET.SubElement(svg, "g")
        ET.SubElement(row, "title").text = (
            f"{name}: {measure} {_fmt(yi, ratio)} [{_fmt(lo, ratio)}, {_fmt(hi, ratio)}], "
            f"weight {w:.1f}%"
        )
        _text(row, 0, cy + FONT / 3, _short(name))
        a, b = max(x(lo), plot_x0), min(x(hi), plot_x1)
        _line(row, a, cy, b, cy, **{"stroke-width": "1.5"})
        side = 4 + 10 * math.sqrt(w / max_w)
        ET.SubElement(
            row,
            "rect",
            {
                "x": f"{x(yi) - side / 2:.1f}",
                "y": f"{cy - side / 2:.1f}",
                "width": f"{side:.1f}",
                "height": f"{side:.1f}",
                "fill": ACCENT,
            },
        )
        _text(
            row, text_x, cy + FONT / 3, f"{_fmt(yi, ratio)} [{_fmt(lo, ratio)}, {_fmt(hi, ratio)}]"
        )
        _text(row, width - 2, cy + FONT / 3, f"{w:.1f}%", **{"text-anchor": "end"})

    _line(svg, 0, pooled_y - ROW / 2 - 4, width, pooled_y - ROW / 2 - 4, **{"stroke-width": "1"})
    _text(svg, 0, pooled_y + FONT / 3, "Pooled" if k > 1 else "Estimate", **bold)
    cx, half = x(result.estimate), 7
    ET.SubElement(
        svg,
        "polygon",
        {
            "points": f"{x(result.ci[0]):.1f},{pooled_y} {cx:.1f},{pooled_y - half} "
            f"{x(result.ci[1]):.1f},{pooled_y} {cx:.1f},{pooled_y + half}",
            "fill": INK,
        },
    )
    _text(svg, text_x, pooled_y + FONT / 3, pooled_text, **bold)
    _text(svg, width - 2, pooled_y + FONT / 3, "100%", **bold, **{"text-anchor": "end"})
    if has_pi:
        _text(svg, 0, pi_y + FONT / 3, "Prediction interval")
        _line(
            svg,
            max(x(result.pi[0]), plot_x0),
            pi_y,
            min(x(result.pi[1]), plot_x1),
            pi_y,
            **{"stroke-width": "2", "stroke-dasharray": "6 3"},
        )
        _text(
            svg,
            text_x,
            pi_y + FONT / 3,
            f"[{_fmt(result.pi[0], ratio)}, {_fmt(result.pi[1], ratio)}]",
        )

    _line(svg, plot_x0, axis_y, plot_x1, axis_y)
    for t in ticks:
        if x_lo <= t <= x_hi:
            _line(svg, x(t), axis_y, x(t), axis_y + 5)
            label = f"{math.exp(t):g}" if ratio else f"{t:g}"
            _text(svg, x(t), axis_y + 5 + FONT, label, **{"text-anchor": "middle"})
    if favours:
        y = axis_y + 2 * ROW + 4
        _text(svg, x(null) - 6, y, favours[0], **{"text-anchor": "end", "font-size": "13"})
        _text(svg, x(null) + 6, y, favours[1], **{"font-size": "13"})
    _text(
        svg,
        0,
        height - 8,
        f"{heterogeneity_line(result)}. {_model_name(result)}.",
        **{"font-size": "13"},
    )
    return ET.tostring(svg, encoding="unicode")


def funnel_plot(result: MetaResult, *, title: str | None = None, ident: str = "funnel") -> str:
    """Funnel plot: each study's estimate against its standard error (0 at the top), the
    pooled estimate as a vertical line and the pseudo 95% confidence region around it
    (Sterne & Egger 2001). Ratios on a log axis with back-transformed labels."""
    ratio = result.measure.is_ratio
    width, height, x0, x1, y0, y1 = 560, 420, 60, 540, 30, 360
    se = [math.sqrt(v) for v in result.vi]
    se_max = max(se) * 1.1 if se else 1.0
    centre = result.estimate
    half = 1.96 * se_max
    lo = min([centre - half, *result.yi])
    hi = max([centre + half, *result.yi])
    ticks = log_ticks(lo, hi) if ratio else nice_ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])

    def x(value: float) -> float:
        return x0 + (value - lo) / (hi - lo) * (x1 - x0)

    def y(s: float) -> float:
        return y0 + s / se_max * (y1 - y0)

    egger = (
        f" Egger's test p = {result.egger_p:.3f}."
        if result.egger_p is not None
        else " Egger's test not reported (fewer than 10 studies)."
    )
    desc = (
        f"Funnel plot of {result.k} studies: {result.measure.value} against standard error, "
        f"pooled estimate {_fmt(centre, ratio)}.{egger}"
    )
    svg = _svg(width, height, title or f"Funnel plot ({result.measure.value})", desc, ident)
    ET.SubElement(
        svg,
        "polygon",
        {
            "points": f"{x(centre):.1f},{y(0):.1f} {x(centre - half):.1f},{y(se_max):.1f} "
            f"{x(centre + half):.1f},{y(se_max):.1f}",
            "fill": "none",
            "stroke": INK,
            "stroke-dasharray": "5 4",
        },
    )
    _line(svg, x(centre), y(0), x(centre), y(se_max), **{"stroke-width": "1.5"})
    for name, yi, s in zip(result.studies, result.yi, se, strict=True):
        dot = ET.SubElement(
            svg, "circle", {"cx": f"{x(yi):.1f}", "cy": f"{y(s):.1f}", "r": "5", "fill": ACCENT}
        )
        ET.SubElement(dot, "title").text = f"{name}: {_fmt(yi, ratio)}, SE {s:.3f}"
    _line(svg, x0, y1, x1, y1)
    _line(svg, x0, y0, x0, y1)
    for t in ticks:
        _line(svg, x(t), y1, x(t), y1 + 5)
        _text(
            svg,
            x(t),
            y1 + 5 + FONT,
            f"{math.exp(t):g}" if ratio else f"{t:g}",
            **{"text-anchor": "middle"},
        )
    for s in nice_ticks(0, se_max, 4):
        if s <= se_max:
            _text(svg, x0 - 6, y(s) + FONT / 3, f"{s:g}", **{"text-anchor": "end"})
    _text(
        svg,
        (x0 + x1) / 2,
        height - 8,
        result.measure.value + (" (log scale)" if ratio else ""),
        **{"text-anchor": "middle"},
    )
    _text(
        svg,
        14,
        (y0 + y1) / 2,
        "Standard error",
        **{"text-anchor": "middle", "transform": f"rotate(-90 14 {(y0 + y1) / 2:.1f})"},
    )
    return ET.tostring(svg, encoding="unicode")


def table_rows(result: MetaResult) -> Sequence[tuple[str, str, str]]:
    """The forest plot's numbers as (study, estimate [CI], weight) rows for an HTML table."""
    ratio = result.measure.is_ratio
    rows = []
    for name, yi, (lo, hi), w in zip(
        result.studies, result.yi, study_intervals(result), result.weights, strict=True
    ):
        rows.append(
            (name, f"{_fmt(yi, ratio)} [{_fmt(lo, ratio)}, {_fmt(hi, ratio)}]", f"{w:.1f}%")
        )
    return rows


def study_intervals(result: MetaResult) -> list[tuple[float, float]]:
    """Each study's Wald CI at the analysis' level (log scale for ratios)."""
    crit = quantile(0.5 + result.level / 2)
    return [
        (y - crit * math.sqrt(v), y + crit * math.sqrt(v))
        for y, v in zip(result.yi, result.vi, strict=True)
    ]
