"""Bounded fuzzing of the extractor: abstract-like text built from the tokens it reads.

Random characters rarely reach the number patterns, so the text is assembled from the
pieces abstracts are made of (numbers, ±, brackets, "95% CI", "P<0.05", arm words, dashes
of every kind, line breaks) in random order. For every input the extractor must return,
quickly, a JSON-serializable result whose spans lie inside the text, and the same result
twice.
"""

from __future__ import annotations

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acuevidence.evidence.extract import MAX_CHARS, extract

TOKENS = [
    "±", "(", ")", "[", "]", ";", ",", ".", ":", "%", "95% CI", "CI", "P", "p", "<", ">", "=",
    "≤", "n", "N", "vs", "versus", "to", "-", "–", "—", "−", " ", "  ", "\n", "mean", "SD",
    "median", "IQR", "MD", "SMD", "RR", "OR", "HR", "risk ratio", "difference", "group",
    "acupuncture", "sham", "control", "randomized", "patients", "participants", "were",
    "weeks", "mm", "Hz", "NCT01234567", "I2", "χ2", "t", "x±s", "/", "of", "and",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(-10_000, 100_000).map(str),
    st.floats(-1e4, 1e6, allow_nan=False, allow_infinity=False).map(lambda x: f"{x:.3g}"),
    st.decimals(0, 1, places=4).map(str),
)
ABSTRACT = st.lists(st.one_of(st.sampled_from(TOKENS), NUMBERS, st.text(max_size=4)), max_size=120)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SECONDS_PER_INPUT = 2.0


def spans_of(result: object) -> list[list[int]]:
    """Every [start, end] pair anywhere in the JSON form of an extraction."""
    found: list[list[int]] = []

    def visit(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            if key.endswith("span") and len(value) == 2 and all(isinstance(v, int) for v in value):
                found.append(value)
            else:
                for v in value:
                    visit(v, key)

    visit(result)
    return found


@FUZZ
@given(title=st.text(max_size=40), pieces=ABSTRACT, joiner=st.sampled_from([" ", "", "\n"]))
def test_extractor_never_crashes_hangs_or_points_outside_the_text(
    title: str, pieces: list[str], joiner: str
) -> None:
    text = f"{title}\n{joiner.join(pieces)}"
    started = time.perf_counter()
    result = extract(text).to_json()
    assert time.perf_counter() - started < SECONDS_PER_INPUT
    json.dumps(result)
    for start, end in spans_of(result):
        assert 0 <= start <= end <= min(len(text), MAX_CHARS)
    assert extract(text).to_json() == result


@settings(max_examples=5, deadline=None, database=None)
@given(st.text(min_size=1, max_size=20))
def test_very_long_text_is_read_only_up_to_the_limit(chunk: str) -> None:
    text = "Title\n" + chunk * (MAX_CHARS // len(chunk) + 2)
    started = time.perf_counter()
    result = extract(text)
    assert time.perf_counter() - started < 10 * SECONDS_PER_INPUT
    assert result.truncated_at == MAX_CHARS
