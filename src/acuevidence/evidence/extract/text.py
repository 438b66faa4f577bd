"""Offset-preserving text normalization, sentences and the number grammar shared by the rules.

Every rule runs on :func:`fold`-ed text, which replaces single characters by single
characters (Unicode minus and hyphens by ``-``, the Lancet's middle-dot decimal by
``.``, thin and no-break spaces by a space, full-width comparison signs by ASCII),
so a match's offsets index the original text unchanged.

All patterns use bounded repetition only (``{0,3}``, never ``*`` or ``+`` over
overlapping classes), so matching is linear in the length of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "–",  # figure dash
        "\u2014": "–",  # em dash
        "\u00b7": ".",  # middle dot used as decimal point
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u00a0": " ",
        "\uff1c": "<",
        "\uff1e": ">",
        "\uff1d": "=",
        "\u2264": "≤",
        "\u2265": "≥",
        "\uff08": "(",
        "\uff09": ")",
        "\uff1a": ":",
        "\uff0c": ",",
        "\u00b1": "±",
    }
)


def fold(text: str) -> str:
    """Same-length normalization of the characters that vary between authors and journals."""
    folded = text.translate(_FOLD)
    if len(folded) != len(text):  # pragma: no cover - every mapping is one character to one
        raise AssertionError("fold must preserve length")
    return folded


# A number as printed: optional sign, digits with optional thousands separators, decimals.
# The look-behind keeps identifiers ("NCT01234567", "P6", "ChiCTR2000031234") and the
# inside of longer numbers from matching.
NUMBER = (
    r"(?<![\w.])(?:-\s?|–(?=\d))?(?:\d{1,3}(?:,\d{3}){1,3}(?![\d])|\d{1,9})?(?:\.\d{1,8})?"
    r"(?<=\d)(?![\d]|\.\d)"
)
UNSIGNED = r"(?<![\w.])(?:\d{1,3}(?:,\d{3}){1,3}(?![\d])|\d{1,9})(?:\.\d{1,8})?(?![\d])"
INTEGER = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3}){1,3}|\d{1,7})(?![\d.,]\d|\d)"
# Range separator: "to", dashes, comma, "and".
RANGE_SEP = r"\s{0,2}(?:to|–|-|,|and|~)\s{0,2}"


def parse_number(printed: str) -> float:
    """Parse a printed number: spaces and thousands separators dropped, any dash is a minus."""
    cleaned = printed.replace(" ", "").replace(",", "").replace("–", "-").replace("\n", "")
    return float(cleaned)


def decimals(printed: str) -> int:
    """How many decimal places a number was printed with ("2.80" -> 2)."""
    _, _, fraction = printed.partition(".")
    return len(fraction.strip())


_SENTENCE_END = re.compile(
    r"(?<=[.!?])\s{1,3}(?=[A-Z(\[])|\n\s{0,3}\n|(?<=[a-z])\n(?=[A-Z][A-Za-z ]{0,30}:)"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence or clause-level unit: its half-open range in the text."""

    start: int
    end: int


def sentences(text: str) -> list[Sentence]:
    """Split into sentences at '. X', blank lines and structured-abstract headings.

    Decimal points never split (they are not followed by a space), nor do
    abbreviations like "vs." followed by a number or a lower-case word.
    """
    bounds: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[max(0, match.start() - 3) : match.start()] in ("vs.", "al.", "e.g", "i.e"):
            continue
        bounds.append(Sentence(start, match.start()))
        start = match.end()
    bounds.append(Sentence(start, len(text)))
    return bounds


class SentenceIndex:
    """Find the sentence containing an offset in O(log n)."""

    def __init__(self, text: str) -> None:
        self.items = sentences(text)
        self._starts = [item.start for item in self.items]

    def at(self, offset: int) -> Sentence:
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.items[index]

    def __iter__(self) -> Iterator[Sentence]:
        return iter(self.items)
