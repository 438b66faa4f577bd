"""English number words ("Two hundred fifty", "sixty-four", "one thousand and twelve")."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))

# Up to eight number words joined by spaces, hyphens or "and": bounded, so linear.
NUMBER_WORDS = (
    r"(?<![A-Za-z])(?:" + _WORD + r")(?:(?:[\s-]|\sand\s)(?:" + _WORD + r")){0,7}(?![A-Za-z])"
)
_TOKEN = re.compile(_WORD, re.IGNORECASE)


def parse_number_words(text: str) -> int | None:
    """The integer that a run of English number words spells, or ``None`` if it is not one.

    Grammar: groups of (units | tens [units]) [hundred [...]] separated by "thousand";
    "and" is ignored. "a hundred" is not supported (it is rare in trial reports).
    """
    tokens = [token.lower() for token in _TOKEN.findall(text)]
    if not tokens:
        return None
    total = 0
    current = 0
    previous = ""
    for token in tokens:
        if token in _UNITS:
            if previous in _UNITS or (previous in _TENS and current % 10):
                return None
            current += _UNITS[token]
        elif token in _TENS:
            if previous in _UNITS or previous in _TENS:
                return None
            current += _TENS[token]
        elif token == "hundred":
            if current == 0 or current >= 100:
                return None
            current *= 100
        else:  # thousand
            if current == 0:
                return None
            total += current * 1000
            current = 0
        previous = token
    return total + current
