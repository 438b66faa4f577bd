"""Flag overclaiming in text an editor writes or edits, before it is submitted.

Four kinds of problem, each a :class:`Flag` with the offending phrase, its span, why it
is a problem and what to write instead:

* ``hype`` -- promotional words ("cure", "miracle", "breakthrough", "real hope",
  "encouraging", ...) and ``proof`` -- words of certainty ("proven", "demonstrated",
  "confirms") that no single body of evidence supports;
* ``importance`` -- "clinically meaningful" and the like, a claim that needs the minimal
  important difference behind it;
* ``significance`` -- "significant(ly)" in a sentence without a single number (durations
  such as "6-month" do not count);
* ``causal`` -- unhedged causal verbs ("improves", "leads to", "reduces") about
  non-randomized evidence, where only association was observed;
* ``secondary-outcome`` -- a key finding that rests on a secondary outcome.

The word lists follow the spirit of GRADE's guidance on communicating findings
(Santesso et al. 2020, J Clin Epidemiol 119:126-135): wording must match the certainty
of the evidence, and hedges ("may", "probably") are what make a causal verb acceptable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from acuevidence.evidence.records import Span
from acuevidence.evidence.summarize import numbers_in


@dataclass(frozen=True, slots=True)
class Flag:
    """One problem found in a text: ``span`` is the character range of ``phrase``."""

    code: str
    phrase: str
    span: Span
    message: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class _Rule:
    code: str
    pattern: re.Pattern[str]
    message: str
    suggestion: str


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


_HYPE = _Rule(
    "hype",
    _words(
        r"cur(?:e|es|ed|ing|ative)",
        r"miracle",
        r"miraculous(?:ly)?",
        r"break-?throughs?",
        r"(?:real|new|great|offers?|gives?) hope",
        r"hopeful",
        r"encouraging",
        r"revolution(?:ary|ize|izes|ise|ises)",
        r"dramatic(?:ally)?",
        r"remarkabl[ey]",
        r"ground-?breaking",
        r"guarantee[sd]?",
        r"game[- ]chang(?:er|ing)",
        r"amazing(?:ly)?",
        r"incredibl[ey]",
        r"astonishing(?:ly)?",
        r"spectacular(?:ly)?",
        r"stunning(?:ly)?",
        r"unprecedented",
        r"promising",
        r"exciting",
        r"powerful",
        r"life[- ]changing",
        r"magic(?:al)?",
        r"wonder(?:s|ful)?",
        r"striking(?:ly)?",
        r"notabl[ey]",
        r"impressive(?:ly)?",
        r"extraordinary",
        r"particularly interesting",
        r"even more pronounced",
        r"lasting benefits?",
        r"(?:completely|totally|perfectly) safe",
        r"no side[- ]effects",
    ),
    "promotional wording: it tells readers how to feel instead of what was found",
    "remove it; state what was measured, the size of the difference and the certainty",
)

_PROOF = _Rule(
    "proof",
    _words(
        r"prov(?:e|es|ed|en)",
        r"proof",
        r"demonstrat(?:e|es|ed|ing)",
        r"confirm(?:s|ed)?",
        r"establish(?:es|ed)",
        r"definitive(?:ly)?",
        r"conclusive(?:ly)?",
        r"clearly show(?:s|ed|n)?",
        r"undeniabl[ey]",
        r"no doubt",
    ),
    "wording of proof: research findings carry uncertainty, which the certainty rating states",
    "use 'found' or 'showed', followed by the certainty of the evidence",
)

_IMPORTANCE = _Rule(
    "importance",
    _words(
        r"clinically (?:meaningful|relevant|significant|important)",
        r"meaningful(?: improvements?| benefits?| changes?)?",
    ),
    "a claim that the effect matters to patients needs its size and the minimal important "
    "difference (with its source)",
    "give the difference with its 95% CI and compare it with the minimal important difference",
)

_SIGNIFICANCE = re.compile(r"\b(?:statistically\s+)?(?:non-?)?significan(?:t|tly|ce)\b", re.I)

_CAUSAL = _words(
    r"caus(?:e|es|ed|ing)",
    r"lea(?:d|ds|ding) to",
    r"led to",
    r"result(?:s|ed|ing)? in",
    r"improv(?:e|es|ed|ing)",
    r"reduc(?:e|es|ed|ing)",
    r"increas(?:es|ed)",
    r"decreas(?:es|ed)",
    r"prevent(?:s|ed|ing)?",
    r"produc(?:e|es|ed)",
    r"enhanc(?:e|es|ed)",
    r"boost(?:s|ed)?",
    r"reliev(?:e|es|ed)",
    r"eliminat(?:e|es|ed)",
    r"restor(?:e|es|ed)",
    r"heal(?:s|ed)?",
    r"works",
    r"(?:is|are|was|were) effective",
)

#: Words that turn a causal verb into a hedged or open statement when they come shortly
#: before it in the same sentence.
_HEDGES = _words(
    r"may",
    r"might",
    r"could",
    r"can",
    r"probably",
    r"possibly",
    r"likely",
    r"unlikely",
    r"whether",
    r"if",
    r"uncertain",
    r"unclear",
    r"appears? to",
    r"seems? to",
    r"not known",
)
_HEDGE_WINDOW = 6  # words before the verb in which a hedge counts

#: Durations ("6-month follow-up", "12 weeks") are not results: they do not count as the
#: numbers that a "significant" needs nearby.
_DURATION = re.compile(
    r"\b\d+(?:\.\d+)?[- ]?(?:minute|hour|day|week|month|year|session)s?\b", re.IGNORECASE
)

_ABBREVIATIONS = ("vs.", "e.g.", "i.e.", "et al.", "approx.", "Fig.", "no.")


def find_overclaims(
    text: str, *, randomized: bool, key_outcome_is_primary: bool | None = None
) -> list[Flag]:
    """Every overclaim in ``text``, in order of position.

    ``randomized`` says whether the evidence the text describes comes from randomized
    trials (causal verbs are flagged only when it does not). Pass
    ``key_outcome_is_primary=False`` when the text is a key finding built on a secondary
    outcome.
    """
    flags: list[Flag] = []
    for rule in (_HYPE, _PROOF, _IMPORTANCE):
        matches = rule.pattern.finditer(text)
        flags.extend(_flag(rule.code, m, rule.message, rule.suggestion) for m in matches)
    importance_spans = [f.span for f in flags if f.code == "importance"]
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not numbers_in(_DURATION.sub(" ", sentence)):
            for match in _SIGNIFICANCE.finditer(sentence):
                span = Span(start + match.start(), start + match.end())
                if not any(_overlap(span, other) for other in importance_spans):
                    flags.append(
                        Flag(
                            "significance",
                            match.group(0),
                            span,
                            "'significant' without numbers: readers take it to mean "
                            "'important', and nothing shows how large the difference is",
                            "give the difference with its 95% CI and p-value, or remove the word",
                        )
                    )
        if not randomized:
            flags.extend(_causal_flags(text, start, sentence))
    if key_outcome_is_primary is False:
        flags.append(
            Flag(
                "secondary-outcome",
                text,
                Span(0, len(text)),
                "the key finding rests on a secondary outcome; trials are designed and "
                "powered for their primary outcome",
                "base the key finding on the primary outcome, or say plainly that this is a "
                "secondary outcome",
            )
        )
    return sorted(flags, key=lambda f: (f.span.start, f.code))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: split after ``.``, ``!`` or ``?`` followed by
    white space, except after common abbreviations such as "vs." and "e.g."."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"[.!?](?=\s)|\n", text):
        end = match.end()
        if text[start:end].rstrip().endswith(_ABBREVIATIONS):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _flag(code: str, match: re.Match[str], message: str, suggestion: str) -> Flag:
    return Flag(code, match.group(0), Span(match.start(), match.end()), message, suggestion)


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _causal_flags(text: str, offset: int, sentence: str) -> list[Flag]:
    flags = []
    for match in _CAUSAL.finditer(sentence):
        before = sentence[: match.start()].split()[-_HEDGE_WINDOW:]
        if _HEDGES.search(" ".join(before)):
            continue
        span = Span(offset + match.start(), offset + match.end())
        flags.append(
            Flag(
                "causal",
                span.text_of(text),
                span,
                "causal wording about non-randomized evidence, which can show an "
                "association but not that the treatment caused the change",
                "write 'was associated with', or hedge the claim to match the certainty "
                "('may improve')",
            )
        )
    return flags
