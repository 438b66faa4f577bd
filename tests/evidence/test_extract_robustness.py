"""The extractor never raises and never hangs, whatever the text."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from acuevidence.evidence.extract import MAX_CHARS, extract

_PIECES = [
    "1",
    "9.",
    "-",
    "–",
    "−",
    "(",
    ")",
    "[",
    "]",
    "±",
    "%",
    "/",
    ",",
    " ",
    "\n",
    "p",
    "P",
    "<",
    "=",
    "CI",
    "95% CI ",
    "n=",
    "group",
    " vs ",
    "0.",
    "·",
    "two",
    "hundred",
    "each",
]


@given(st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_never_raises(text: str) -> None:
    extraction = extract(text)
    for item in (*extraction.p_values, *extraction.cis):
        assert 0 <= item.span.start <= item.span.end <= len(text)


@given(st.lists(st.sampled_from(_PIECES), max_size=200).map("".join))
@settings(max_examples=200, deadline=None)
def test_number_like_soup_never_raises_and_json_is_complete(text: str) -> None:
    data = extract(text).to_json()
    for item in data["results"] + data["p_values"] + data["cis"]:
        start, end = item["span"]
        assert 0 <= start <= end <= len(text)


def test_one_megabyte_adversarial_input_finishes_within_a_second() -> None:
    unit = "1234567890" * 20 + "-" * 50 + "(" * 40 + ")" * 40 + "±1±2" * 30 + "95% CI 1.2–" * 5
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    start = time.perf_counter()
    extraction = extract(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert extraction.truncated_at == MAX_CHARS


def test_worst_case_text_within_the_read_limit_shows_no_catastrophic_backtracking() -> None:
    """Dense number soup up to the read limit stays near-linear.

    Each pattern takes about half a second on an idle core; catastrophic
    backtracking would take minutes, so a 5 s bound catches it without
    failing on a busy CI machine (speed itself is benchmarked, not tested).
    """
    for unit in ("1±", "(1 (2 [3", "one two three ", "95% CI 1.2–", "p<0.", "7/"):
        text = (unit * (MAX_CHARS // len(unit) + 1))[:MAX_CHARS]
        start = time.perf_counter()
        extract(text)
        assert time.perf_counter() - start < 5.0, unit
