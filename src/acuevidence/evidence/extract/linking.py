"""Attach each number to its outcome, arm and time point, looking only inside its sentence.

The rules follow how abstracts are written: the outcome is named before its
numbers ("upper limb scores 8.86±2.86 vs 6.08±3.99"), the time point before or
after them ("at 6 months"), and in "A vs B" the second number belongs to the other
arm of a two-arm trial.
"""

from __future__ import annotations

import re
from dataclasses import replace

from acuevidence.evidence.extract.numbers import MeanSD, MedianIQR, Proportion
from acuevidence.evidence.extract.text import SentenceIndex
from acuevidence.evidence.records import Arm, ArmResult, ResultKind, Span
from acuevidence.evidence.vocabulary import Mention, OutcomeTerm, find_therapies

_TIMEPOINT = re.compile(
    r"(?<![A-Za-z])(?:(?:week|month|day|year)\s\d{1,3}(?!\d)"
    r"|\d{1,3}(?:[-\s]|\s-\s)(?:weeks?|months?|days?|years?)(?:\s(?:of\s)?(?:follow-up|after\s\w{1,20}))?"
    r"|end\sof\s(?:the\s)?(?:treatment|intervention|study|follow-up)|post-?treatment|baseline)(?![A-Za-z])",
    re.IGNORECASE,
)
_VERSUS = re.compile(r"\b(?:vs\.?|versus|compared\s(?:with|to)|and|than|v\.?)\s", re.IGNORECASE)


class Linker:
    """Answers "which outcome / arm / time point does this span belong to?" for one text."""

    def __init__(
        self,
        text: str,
        sentences: SentenceIndex,
        arms: list[Arm],
        outcomes: list[Mention[OutcomeTerm]],
    ) -> None:
        self.text = text
        self.sentences = sentences
        self.arms = arms
        self.outcomes = outcomes
        self.timepoints = [
            (m.start(), m.end(), _normalize_timepoint(m.group())) for m in _TIMEPOINT.finditer(text)
        ]
        self.arm_mentions = self._arm_mentions()

    def _arm_mentions(self) -> list[tuple[int, int, Arm]]:
        mentions: list[tuple[int, int, Arm]] = []
        lowered = self.text.lower()
        for arm in self.arms:
            label = arm.label.lower()
            if len(label) < 3 or label.startswith("group "):
                continue
            start = lowered.find(label)
            while start != -1:
                mentions.append((start, start + len(label), arm))
                start = lowered.find(label, start + len(label))
        therapy_arms = {arm.therapy: arm for arm in self.arms if arm.therapy is not None}
        for mention in find_therapies(self.text):
            therapy_arm = therapy_arms.get(mention.term.slug)
            if therapy_arm is not None:
                mentions.append((mention.start, mention.end, therapy_arm))
        mentions.sort(key=lambda item: item[0])
        return mentions

    def outcome_for(self, span: Span) -> str | None:
        """The last outcome named before ``span`` in its sentence, else the first one after it."""
        sentence = self.sentences.at(span.start)
        before = [m for m in self.outcomes if sentence.start <= m.start and m.end <= span.start]
        if before:
            return before[-1].term.slug
        after = [m for m in self.outcomes if span.end <= m.start < sentence.end]
        return after[0].term.slug if after else None

    def timepoint_for(self, span: Span) -> str | None:
        """The last time point before ``span`` in its sentence, else the first one after it."""
        sentence = self.sentences.at(span.start)
        before = [t for t in self.timepoints if sentence.start <= t[0] and t[1] <= span.start]
        if before:
            return before[-1][2]
        after = [t for t in self.timepoints if span.end <= t[0] < sentence.end]
        return after[0][2] if after else None

    def per_arm_results(
        self, mean_sds: list[MeanSD], medians: list[MedianIQR], proportions: list[Proportion]
    ) -> tuple[ArmResult, ...]:
        """Per-arm results in text order, each linked to outcome, arm and time point."""
        items: list[tuple[Span, ResultKind, MeanSD | MedianIQR | Proportion]] = []
        items += [(item.span, ResultKind.MEAN_SD, item) for item in mean_sds]
        items += [(item.span, ResultKind.MEDIAN_IQR, item) for item in medians]
        items += [(item.span, ResultKind.PROPORTION, item) for item in proportions]
        items.sort(key=lambda item: item[0].start)
        results: list[ArmResult] = []
        previous: tuple[Span, Arm | None] | None = None
        for span, kind, item in items:
            arm = self._arm_for(span, previous)
            previous = (span, arm)
            results.append(self._result(span, kind, item, arm))
        return tuple(results)

    def _arm_for(self, span: Span, previous: tuple[Span, Arm | None] | None) -> Arm | None:
        sentence = self.sentences.at(span.start)
        floor = sentence.start
        if previous is not None and previous[0].start >= sentence.start:
            floor = previous[0].end
        named = [m for m in self.arm_mentions if floor <= m[0] and m[1] <= span.start]
        if named:
            return named[-1][2]
        if previous is None or previous[0].start < sentence.start:
            named = [m for m in self.arm_mentions if sentence.start <= m[0] and m[1] <= span.start]
            if named:
                return named[-1][2]
            # "8.86±2.86 vs. 6.08±3.99" with no group named: the first-named arm comes first.
            after = self.text[span.end : span.end + 12]
            return self.arms[0] if len(self.arms) == 2 and _VERSUS.match(after.lstrip()) else None
        between = self.text[previous[0].end : span.start]
        previous_arm = previous[1]
        if previous_arm is not None and len(self.arms) == 2 and _VERSUS.search(between):
            return self.arms[1] if previous_arm is self.arms[0] else self.arms[0]
        return None

    def _result(
        self, span: Span, kind: ResultKind, item: MeanSD | MedianIQR | Proportion, arm: Arm | None
    ) -> ArmResult:
        base = ArmResult(
            outcome=self.outcome_for(span),
            arm=arm.label if arm is not None else None,
            kind=kind,
            timepoint=self.timepoint_for(span),
            printed=item.printed,
            span=span,
        )
        if isinstance(item, MeanSD):
            return replace(base, mean=item.mean, sd=item.sd, n=arm.n if arm is not None else None)
        if isinstance(item, MedianIQR):
            return replace(base, median=item.median, q1=item.q1, q3=item.q3)
        return replace(base, events=item.events, total=item.total, percent=item.percent)


def _normalize_timepoint(printed: str) -> str:
    return re.sub(r"[\s-]{1,3}", " ", printed.lower()).strip()
