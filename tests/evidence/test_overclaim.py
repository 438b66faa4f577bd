"""The overclaim checker: the seed page's hype is flagged, calibrated wording passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from summary_cases import nausea_synthesis, ongoing_trial, seed_study

from acuevidence.evidence.overclaim import find_overclaims, sentence_spans
from acuevidence.evidence.summarize import (
    highlight,
    key_finding,
    key_outcome,
    plain_language_summary,
    technical_summary,
)

SEED_PAGE = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "study-page.txt"


@pytest.fixture(scope="module")
def seed_page() -> str:
    if not SEED_PAGE.exists():
        pytest.skip(f"{SEED_PAGE} is not beside the checkout")
    return SEED_PAGE.read_text(encoding="utf-8")


def seed_sentence(page: str, fragment: str) -> str:
    """The sentence of the seed page that contains ``fragment``."""
    for start, end in sentence_spans(page):
        if fragment in page[start:end]:
            return page[start:end].strip()
    raise AssertionError(f"{fragment!r} is not in the seed page")


@pytest.mark.parametrize(
    ("fragment", "codes"),
    [
        ("produced significantly greater improvements", {"significance"}),
        ("The results were encouraging", {"hype"}),
        ("showed significantly better arm and leg function", {"significance"}),
        ("were notably higher in the acupotomy group", {"hype"}),
        ("meaningful improvements were detected", {"importance"}),
        ("particularly interesting", {"hype"}),
        ("offer real hope", {"hype"}),
        ("demonstrated statistically significant improvements", {"proof"}),
        ("significant functional improvement was observed", {"hype", "significance"}),
        ("clinically meaningful adjunct", {"importance"}),
        ("Acupuncture significantly reduced chronic urticaria", {"significance"}),
        ("clinically relevant reduction in symptoms", {"importance"}),
    ],
)
def test_seed_page_sentences_are_flagged(seed_page: str, fragment: str, codes: set[str]) -> None:
    sentence = seed_sentence(seed_page, fragment)
    flags = find_overclaims(sentence, randomized=True)
    assert {f.code for f in flags} == codes


def test_significant_next_to_numbers_is_not_flagged(seed_page: str) -> None:
    sentence = seed_sentence(seed_page, "demonstrated statistically significant improvements")
    assert "significance" not in {f.code for f in find_overclaims(sentence, randomized=True)}


def test_flag_spans_point_at_the_phrase() -> None:
    text = "Acupuncture is a breakthrough. It was proven to work."
    flags = find_overclaims(text, randomized=True)
    assert [(f.code, f.phrase) for f in flags] == [("hype", "breakthrough"), ("proof", "proven")]
    assert all(f.span.text_of(text) == f.phrase for f in flags)
    assert all(f.message and f.suggestion for f in flags)


@pytest.mark.parametrize("word", ["cure", "miracle", "breakthrough", "revolutionary", "guaranteed"])
def test_hype_words_are_flagged_in_any_case(word: str) -> None:
    flags = find_overclaims(f"A {word.upper()} for back pain.", randomized=True)
    assert [f.code for f in flags] == ["hype"]


def test_causal_language_is_flagged_only_for_non_randomized_evidence() -> None:
    text = "Acupuncture reduces pain and leads to better sleep."
    causal = [f.phrase for f in find_overclaims(text, randomized=False) if f.code == "causal"]
    assert causal == ["reduces", "leads to"]
    assert find_overclaims(text, randomized=True) == []


def test_hedged_and_associational_wording_is_not_causal() -> None:
    text = (
        "Acupuncture may reduce pain. It probably results in little or no difference in sleep. "
        "Treatment was associated with less pain. We wanted to find out if it improves mood."
    )
    assert find_overclaims(text, randomized=False) == []


def test_ultrasound_claim_of_the_seed_is_causal_without_a_trial_behind_it(seed_page: str) -> None:
    sentence = seed_sentence(seed_page, "Ultrasound guidance enhances precision")
    assert "causal" in {f.code for f in find_overclaims(sentence, randomized=False)}


def test_key_finding_on_a_secondary_outcome_is_flagged() -> None:
    text = "Acupuncture may improve sleep."
    flags = find_overclaims(text, randomized=True, key_outcome_is_primary=False)
    assert [f.code for f in flags] == ["secondary-outcome"]
    assert find_overclaims(text, randomized=True, key_outcome_is_primary=True) == []


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Scores were significantly higher vs. 6.08 in controls."
    assert find_overclaims(text, randomized=True) == []
    assert len(sentence_spans(text)) == 1


@pytest.mark.parametrize("subject", [seed_study(), nausea_synthesis()], ids=["seed", "nausea"])
def test_generated_texts_pass_clean(subject: object) -> None:
    outcome = key_outcome(subject)  # type: ignore[arg-type]
    assert outcome is not None
    texts = [
        key_finding(subject),  # type: ignore[arg-type]
        plain_language_summary(subject).text,  # type: ignore[arg-type]
        technical_summary(subject),  # type: ignore[arg-type]
        highlight(subject),  # type: ignore[arg-type]
    ]
    for text in texts:
        assert (
            find_overclaims(text, randomized=True, key_outcome_is_primary=outcome.is_primary) == []
        )
        assert find_overclaims(text, randomized=False) == []


def test_ongoing_trial_texts_pass_clean() -> None:
    trial = ongoing_trial()
    for text in (key_finding(trial), highlight(trial), technical_summary(trial)):
        assert find_overclaims(text, randomized=False) == []
