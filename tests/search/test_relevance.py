"""Relevance of site search on the real demo corpus: expected top results for real queries.

The expectations come from what each study is about (its conditions in
``research/demo/studies.json``), not from running the search: a reader who
types "hemiparesis" wants the post-stroke hemiplegia trials, one who types
"low back pain" the chronic low back pain trials, and so on. The corpus is
loaded once (it takes a while) and every query is checked in one test; the
failure message lists every query that went wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from acuevidence.search.selectors import site_search

pytestmark = pytest.mark.django_db

STUDIES = json.loads(
    (Path(__file__).resolve().parents[2] / "src/acuevidence/research/demo/studies.json").read_text(
        encoding="utf-8"
    )
)


def about(*conditions: str) -> set[str]:
    """Demo studies tagged with any of the conditions."""
    return {s["key"] for s in STUDIES if set(s["conditions"]) & set(conditions)}


# query -> (studies every one of the top results must belong to, how many top results)
EXPECTED_TOP = {
    # A synonym of post-stroke hemiplegia ("hemiparesis after stroke"); none of the
    # three trials' titles says "hemiparesis".
    "hemiparesis": (about("post-stroke-hemiplegia"), 3),
    "hemiplegia after stroke": (about("post-stroke-hemiplegia"), 3),
    "low back pain": (about("chronic-low-back-pain"), 3),
    "nausea after surgery": (about("postoperative-nausea-vomiting"), 5),
    "P6 wrist": (about("postoperative-nausea-vomiting"), 5),
    "knee osteoarthritis": (about("knee-osteoarthritis"), 1),
    "hot flushes": (about("menopausal-hot-flushes"), 2),
    "chronic urticaria": (about("chronic-spontaneous-urticaria"), 1),
    "migraine": (about("migraine"), 1),
    "vagus nerve obesity": (about("obesity"), 2),
    "stroke": (
        about("stroke", "ischemic-stroke", "post-stroke-hemiplegia", "post-stroke-spasticity"),
        7,
    ),
}


def test_real_queries_find_the_expected_studies_first():
    call_command("demo", practitioners=20, no_admin=True, verbosity=0)
    wrong = {}
    for query, (expected, top) in EXPECTED_TOP.items():
        found = [hit.item.slug for hit in site_search(query).studies[:top]]
        if len(found) < top or not set(found) <= expected:
            wrong[query] = found
    assert not wrong, f"unexpected top results: {wrong}"

    # The synonym also reaches the condition, its articles and its practitioners.
    results = site_search("hemiparesis")
    assert [c.slug for c in results.conditions] == ["post-stroke-hemiplegia"]
    assert "hemiplegia" in " ".join(results.synonyms)
    assert [a.item.slug for a in results.articles] == [
        "acupuncture-in-stroke-rehabilitation-what-trials-show"
    ]
    # A broad query names the specific condition, not every ancestor ("pain").
    assert [c.slug for c in site_search("low back pain").conditions] == ["chronic-low-back-pain"]
    # Demo practitioners are labelled synthetic; every one found is published.
    for hit in site_search("stroke").practitioners:
        assert hit.item.is_published and hit.item.is_demo
