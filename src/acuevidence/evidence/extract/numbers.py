"""Reported numbers: p-values, confidence intervals, mean ± SD, median (IQR), n/N (%), effects.

Each finder takes :func:`text.fold`-ed text and returns items with half-open
spans into it (and therefore into the original text). Finders never raise on odd
input: a value that does not parse as a finite number is skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from acuevidence.evidence.extract.text import INTEGER, NUMBER, RANGE_SEP, UNSIGNED, parse_number
from acuevidence.evidence.records import Span


@dataclass(frozen=True, slots=True)
class PValue:
    """A p-value as printed; ``relation`` is "<", "=" or ">" ("≤" counts as "<")."""

    text: str
    relation: str
    value: float
    span: Span


@dataclass(frozen=True, slots=True)
class Interval:
    """A confidence interval; ``level`` is a percentage (95 unless printed otherwise)."""

    lower: float
    upper: float
    level: float
    span: Span


@dataclass(frozen=True, slots=True)
class MeanSD:
    mean: float
    sd: float
    span: Span
    printed: str


@dataclass(frozen=True, slots=True)
class MedianIQR:
    median: float
    q1: float
    q3: float
    span: Span
    printed: str


@dataclass(frozen=True, slots=True)
class Proportion:
    events: int | None
    total: int | None
    percent: float | None
    span: Span
    printed: str


@dataclass(frozen=True, slots=True)
class Effect:
    """A between-group estimate: ``measure`` is MD, SMD, RD, RR, OR, HR or IRR."""

    measure: str
    estimate: float
    interval: Interval | None
    span: Span
    printed: str


def _finite(*printed: str) -> list[float] | None:
    try:
        values = [parse_number(item) for item in printed]
    except ValueError:
        return None
    return values if all(math.isfinite(value) for value in values) else None


# --- p-values ---------------------------------------------------------------------------

_P_NUMBER = r"(?:0?\.\d{1,8}|[01](?:\.\d{1,8})?)(?![\d])"
_P_EXPONENT = r"(?:\s{0,2}[×x*]\s{0,2}10\s{0,2}\^?\s{0,2}(?P<exp>-\s?\d{1,3}))?"
_P_VALUE = re.compile(
    r"(?<![A-Za-z0-9])[Pp](?:[\s-]{0,2}values?)?(?:\s{0,2}for\s[a-z]{1,15})?\s{0,2}"
    r"(?P<rel><\s?=|>\s?=|[<>=≤≥]|(?:of|was)\s)\s{0,2}"
    r"(?P<num>" + _P_NUMBER + r")" + _P_EXPONENT
)


def find_p_values(text: str) -> list[PValue]:
    """p-values in every common form: "p<0.001", "P = .03", "P-value of 0.2", "P < 1 × 10-4"."""
    found: list[PValue] = []
    for match in _P_VALUE.finditer(text):
        values = _finite(match["num"])
        if values is None:
            continue
        value = values[0]
        if match["exp"]:
            value *= 10.0 ** int(match["exp"].replace(" ", ""))
        if not 0.0 <= value <= 1.0:
            continue
        rel = match["rel"].strip()
        relation = "<" if rel[0] in "<≤" else ">" if rel[0] in ">≥" else "="
        found.append(PValue(match.group(), relation, value, Span(match.start(), match.end())))
    return found


# --- confidence intervals ---------------------------------------------------------------

_CI_NAME = r"(?:CI|C\.I\.|CrI|confidence\s(?:interval|limits?)(?:\s[\(\[]CI[\)\]])?)"
_RANGE = (
    r"[\(\[]?\s{0,2}(?P<lo>" + NUMBER + r")(?:\s?%)?" + RANGE_SEP + r"(?P<hi>" + NUMBER + r")"
    r"(?:\s?%)?(?:\s{0,2}[\)\]])?"
)
_CI = re.compile(
    r"(?:(?P<level>\d{2}(?:\.\d{1,2})?)\s?%\s{0,2})?(?<![A-Za-z])" + _CI_NAME + r"s?"
    r"(?:\s{0,2}[:,=])?\s{0,2}(?:was\s|of\s|from\s|ranged?\s(?:from\s)?)?" + _RANGE
)


def find_intervals(text: str) -> list[Interval]:
    """Intervals named "CI" with an optional level: "95% CI 1.42–4.15", "(95% CI: −0.12, 0.24)"."""
    found: list[Interval] = []
    for match in _CI.finditer(text):
        values = _finite(match["lo"], match["hi"])
        if values is None:
            continue
        level = float(match["level"]) if match["level"] else 95.0
        if not 50.0 <= level < 100.0:
            continue
        lower, upper = sorted(values)
        end = match.end()
        found.append(Interval(lower, upper, level, Span(match.start(), end)))
    return found


# --- mean ± SD and median (IQR) ---------------------------------------------------------

_MEAN_PM_SD = re.compile(
    r"(?P<mean>"
    + NUMBER
    + r")\s{0,2}(?:%\s{0,2})?(?:±|\+/-|\+-|\+/\s?-)\s{0,2}(?P<sd>"
    + UNSIGNED
    + r")"
)
_MEAN_PAREN_SD = re.compile(
    r"(?P<mean>"
    + NUMBER
    + r")(?:\s{0,2}(?:g|kg|mg|cm|mm|points?))?\s{0,2}(?P<open>[\(\[])\s{0,2}(?P<label>(?:SD|s\.d\.|standard\sdeviation)"
    r"\s{0,2}[:=,]?\s{0,2})?(?P<sd>" + UNSIGNED + r")\s{0,2}[\)\]]"
)
_DECLARES_SD = re.compile(r"\bSD\b|standard deviation|mean \(|means \(|mean \[|x̄", re.IGNORECASE)


def find_mean_sd(sentence_text: str, offset: int) -> list[MeanSD]:
    """mean ± SD anywhere; mean (SD) when "SD" is printed or declared in the same sentence.

    ``sentence_text`` is the sentence the search runs on and ``offset`` its start in
    the full text, so spans index the full text.
    """
    found: list[MeanSD] = []
    for match in _MEAN_PM_SD.finditer(sentence_text):
        values = _finite(match["mean"], match["sd"])
        if values is not None:
            found.append(_mean_sd(match, values, offset))
    declared = _DECLARES_SD.search(sentence_text)
    for match in _MEAN_PAREN_SD.finditer(sentence_text):
        values = _finite(match["mean"], match["sd"])
        if values is None:
            continue
        both_decimal = "." in match["mean"] and "." in match["sd"]
        labelled = match["label"] is not None
        declared_before = declared is not None and declared.start() < match.start()
        if labelled or declared_before or both_decimal:
            found.append(_mean_sd(match, values, offset))
    return found


def _mean_sd(match: re.Match[str], values: list[float], offset: int) -> MeanSD:
    span = Span(offset + match.start(), offset + match.end())
    return MeanSD(values[0], values[1], span, match.group())


_MEDIAN_IQR = re.compile(
    r"(?P<median>" + NUMBER + r")(?:\s{0,2}(?:days?|weeks?|hours?|min|g|kg|mg|cm|mm|points?))?"
    r"\s{0,2}[\(\[]\s{0,2}(?P<label>(?:IQR|interquartile\srange|Q1\s?[-–,]\s?Q3)"
    r"\s{0,2}[:=,]?\s{0,2})?(?P<q1>"
    + NUMBER
    + r")"
    + RANGE_SEP
    + r"(?P<q3>"
    + NUMBER
    + r")\s{0,2}[\)\]]"
)
_DECLARES_MEDIAN = re.compile(r"median|IQR|interquartile", re.IGNORECASE)


def find_median_iqr(sentence_text: str, offset: int) -> list[MedianIQR]:
    """median (IQR) when "IQR" is in the brackets or "median"/"IQR" is earlier in the sentence."""
    found: list[MedianIQR] = []
    declared = _DECLARES_MEDIAN.search(sentence_text)
    for match in _MEDIAN_IQR.finditer(sentence_text):
        values = _finite(match["median"], match["q1"], match["q3"])
        if values is None:
            continue
        if match["label"] is None and declared is None:
            continue
        median, q1, q3 = values
        if not q1 <= median <= q3:
            continue
        span = Span(offset + match.start(), offset + match.end())
        found.append(MedianIQR(median, q1, q3, span, match.group()))
    return found


# --- proportions ------------------------------------------------------------------------

_PERCENT = r"\s{0,2}\(\s{0,2}(?P<pct>" + UNSIGNED + r")\s{0,2}%\s{0,2}\)"
_PROPORTION = re.compile(
    r"(?<![/\d])(?P<events>"
    + INTEGER
    + r")\s{0,2}(?:/|\sof\s|\sout\sof\s)\s{0,2}(?P<total>"
    + INTEGER
    + r")"
    r"(?!\s{0,2}/|\d)(?:(?:\s[a-z]{1,15}){0,2}" + _PERCENT + r")?"
    r"|(?P<pct2>"
    + UNSIGNED
    + r")\s{0,2}%\s{0,2}\(\s{0,2}(?P<events2>"
    + INTEGER
    + r")\s{0,2}/\s{0,2}"
    r"(?P<total2>" + INTEGER + r")\s{0,2}\)"
    r"|(?P<events3>" + INTEGER + r")" + _PERCENT.replace("pct", "pct3")
)


def find_proportions(text: str) -> list[Proportion]:
    """n/N and "n of N" with an optional "(xx%)"; "xx% (n/N)"; count with percent "n (xx%)"."""
    found: list[Proportion] = []
    for match in _PROPORTION.finditer(text):
        events_s = match["events"] or match["events2"] or match["events3"]
        total_s = match["total"] or match["total2"]
        pct_s = match["pct"] or match["pct2"] or match["pct3"]
        parsed = _finite(*(item for item in (events_s, total_s, pct_s) if item))
        if parsed is None:
            continue
        events = int(parse_number(events_s))
        total = int(parse_number(total_s)) if total_s else None
        percent = parse_number(pct_s) if pct_s else None
        if total is not None and not (0 <= events <= total and total > 0):
            continue
        if percent is not None and percent > 100:
            continue
        if total is not None and percent is None and not _looks_like_count(text, match):
            continue
        span = Span(match.start(), match.end())
        found.append(Proportion(events, total, percent, span, match.group()))
    return found


def _looks_like_count(text: str, match: re.Match[str]) -> bool:
    """A bare "a/b" is a count only when it is not a date or a score out of a maximum."""
    after = text[match.end() : match.end() + 12].lower()
    if after.startswith((" point", " score", "mmhg", " mm", " hz", "hz")):
        return False
    return "." not in match.group()


# --- effects ----------------------------------------------------------------------------

_MEASURES = {
    "standardized mean difference": "SMD",
    "standardised mean difference": "SMD",
    "smd": "SMD",
    "hedges g": "SMD",
    "hedges' g": "SMD",
    "cohen's d": "SMD",
    "cohen d": "SMD",
    "effect size": "SMD",
    "weighted mean difference": "MD",
    "wmd": "MD",
    "mean difference": "MD",
    "md": "MD",
    "between-group difference": "MD",
    "between-group mean difference": "MD",
    "adjusted difference": "MD",
    "adjusted mean difference": "MD",
    "difference": "MD",
    "differed by": "MD",
    "risk difference": "RD",
    "rd": "RD",
    "relative risk": "RR",
    "risk ratio": "RR",
    "rr": "RR",
    "odds ratio": "OR",
    "or": "OR",
    "aor": "OR",
    "adjusted odds ratio": "OR",
    "hazard ratio": "HR",
    "hr": "HR",
    "incidence rate ratio": "IRR",
    "rate ratio": "IRR",
    "irr": "IRR",
}
_KEYWORDS = "|".join(
    r"[-\s]{1,2}".join(re.escape(word) for word in re.split(r"[\s-]", name))
    for name in sorted(_MEASURES, key=len, reverse=True)
    if not name.isalpha() or len(name) > 3
)
_ABBREVIATIONS = r"SMD|WMD|MD|RD|RR|OR|aOR|AOR|HR|IRR"
_EFFECT = re.compile(
    r"(?<![A-Za-z])(?:(?P<word>" + _KEYWORDS + r")s?|(?P<abbr>" + _ABBREVIATIONS + r"))(?![A-Za-z])"
    r"(?:\s{0,2}[\(\[](?:" + _ABBREVIATIONS + r")[\)\]])?"
    r"(?P<gap>[^\d;.()\[\]\n<>=±%]{0,45}?|\s{0,2}[:=,]\s{0,2}|\s{0,2}[\(\[]\s{0,2})"
    r"(?P<est>" + NUMBER + r")(?!\s{0,2}(?:±|\+/-))"
    r"(?:\s{0,2}(?:%|points?|percentage\spoints|kg|g|cm|mm|mmHg|days?|hours?|units?))?"
    r"(?:\s{0,2}[;,]?\s{0,2}[\(\[]\s{0,2}(?P<lo>"
    + NUMBER
    + r")"
    + RANGE_SEP
    + r"(?P<hi>"
    + NUMBER
    + r")"
    r"\s{0,2}[\)\]])?",
    re.IGNORECASE,
)
_BAD_GAP = re.compile(
    r"\b(?:at|after|week|weeks|month|months|day|days|within|than|baseline|from|by|"
    r"no|not|significant|groups?|age|aged|between\sthe\s(?:two\s)?groups?\swas\snot)\b",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s{0,2}(?:-|\s)(?:weeks?|months?|years?|sessions?|patients|participants|hours?|min)\b",
    re.IGNORECASE,
)


def find_effects(text: str) -> list[Effect]:
    """MD/SMD/RD/RR/OR/HR/IRR estimates with an adjoining bare bracketed CI when printed so.

    "difference" is accepted with words before the number ("difference in FMA of 4.1"),
    but not when those words place the number in time or name a group ("at week 8").
    """
    found: list[Effect] = []
    for match in _EFFECT.finditer(text):
        keyword = (match["word"] or match["abbr"] or "").lower()
        if match["abbr"] and match["abbr"] not in (
            "OR",
            "aOR",
            "AOR",
            "HR",
            "RR",
            "RD",
            "MD",
            "SMD",
            "WMD",
            "IRR",
        ):
            continue
        gap = match["gap"] or ""
        if match["word"] and gap.strip(" :=,([") and _BAD_GAP.search(gap):
            continue
        if match["abbr"] and gap.strip(" :=,([").lower() not in ("", "was", "of", "is", "were"):
            continue
        if _UNIT_AFTER.match(text, match.end("est")):
            continue
        values = _finite(match["est"])
        if values is None:
            continue
        measure = _measure(keyword)
        interval = None
        if match["lo"] is not None:
            bounds = _finite(match["lo"], match["hi"])
            if bounds is not None:
                lower, upper = sorted(bounds)
                interval = Interval(lower, upper, 95.0, Span(match.start("lo"), match.end("hi")))
        span = Span(match.start(), match.end())
        found.append(Effect(measure, values[0], interval, span, match.group()))
    return found


def _measure(keyword: str) -> str:
    key = re.sub(r"[\s-]{1,3}", " ", keyword.lower()).replace("between group", "between-group")
    key = key.rstrip("s") if key.endswith("differences") else key
    return _MEASURES.get(key, _MEASURES.get(key.replace("'", ""), "MD"))
