"""The shared vocabularies: well-formed terms and case-insensitive lookup by name or synonym."""

from __future__ import annotations

import pytest

from acuevidence.evidence.vocabulary import (
    CONDITIONS,
    OUTCOMES,
    THERAPIES,
    find_outcomes,
    find_therapies,
    match_condition,
    match_outcome,
    match_therapy,
)


@pytest.mark.parametrize("terms", [CONDITIONS, THERAPIES, OUTCOMES])
def test_slugs_are_unique(terms: tuple) -> None:
    slugs = [term.slug for term in terms]
    assert len(slugs) == len(set(slugs))


def test_condition_parents_name_existing_conditions() -> None:
    slugs = {term.slug for term in CONDITIONS}
    assert all(term.parent is None or term.parent in slugs for term in CONDITIONS)


def test_mesh_ids_look_like_descriptor_ids() -> None:
    for term in CONDITIONS:
        assert term.mesh_id is None or (term.mesh_id.startswith("D") and term.mesh_id[1:].isdigit())


def test_outcome_scale_ranges_are_ordered() -> None:
    for term in OUTCOMES:
        if term.scale_min is not None and term.scale_max is not None:
            assert term.scale_min < term.scale_max, term.slug


@pytest.mark.parametrize(
    "text",
    [
        "post-stroke hemiplegia",
        "Hemiplegia after stroke",
        "hemiparesis following stroke",
        "POST-STROKE HEMIPARESIS",
        "poststroke hemiplegia",
    ],
)
def test_post_stroke_hemiplegia_synonyms_map_to_one_condition(text: str) -> None:
    term = match_condition(text)
    assert term is not None and term.slug == "post-stroke-hemiplegia"
    assert term.parent == "stroke"


def test_condition_mentioned_inside_a_sentence_is_found() -> None:
    term = match_condition("102 patients with hemiplegia after stroke were randomised")
    assert term is not None and term.slug == "post-stroke-hemiplegia"


def test_unknown_text_matches_nothing() -> None:
    assert match_condition("the weather in spring") is None
    assert match_therapy("") is None
    assert match_outcome("a score of our own making") is None


@pytest.mark.parametrize(
    ("text", "slug", "is_control"),
    [
        ("Electro-acupuncture", "electroacupuncture", False),
        ("sham acupuncture", "sham-acupuncture", True),
        ("usual care", "usual-care", True),
        ("waiting list", "waitlist", True),
        ("taVNS", "tavns", False),
        ("needle-knife", "acupotomy", False),
        ("ultrasound-guided acupotomy", "ultrasound-guided-acupotomy", False),
    ],
)
def test_therapy_lookup_and_control_flag(text: str, slug: str, is_control: bool) -> None:
    term = match_therapy(text)
    assert term is not None and term.slug == slug and term.is_control is is_control


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("FMA", "fma"),
        ("Fugl-Meyer", "fma"),
        ("BI", "barthel-index"),
        ("barthel", "barthel-index"),
        ("MAS", "modified-ashworth-scale"),
        ("modified Ashworth scale", "modified-ashworth-scale"),
        ("nihss", "nihss"),
        ("Roland-Morris Disability Questionnaire", "rmdq"),
    ],
)
def test_outcome_lookup_by_abbreviation_name_or_synonym(text: str, slug: str) -> None:
    term = match_outcome(text)
    assert term is not None and term.slug == slug


def test_outcome_scale_facts_for_common_instruments() -> None:
    nihss = match_outcome("NIHSS")
    barthel = match_outcome("Barthel Index")
    assert nihss is not None and (nihss.scale_min, nihss.scale_max) == (0, 42)
    assert nihss.higher_is_better is False and nihss.integer_valued
    assert barthel is not None and barthel.scale_max == 100 and barthel.higher_is_better


def test_scanning_prefers_the_longest_phrase_and_reports_its_span() -> None:
    text = "Patients received sham electroacupuncture or usual care."
    found = find_therapies(text)
    assert [(m.term.slug, text[m.start : m.end]) for m in found] == [
        ("sham-acupuncture", "sham electroacupuncture"),
        ("usual-care", "usual care"),
    ]


def test_short_abbreviations_are_case_sensitive_when_scanning() -> None:
    assert find_outcomes("the bi-weekly visits; mas is not a scale") == []
    assert [m.term.slug for m in find_outcomes("BI and MAS improved")] == [
        "barthel-index",
        "modified-ashworth-scale",
    ]
