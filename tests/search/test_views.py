"""The search page: results by kind, synonyms, facets as plain links, no JavaScript needed."""

from __future__ import annotations

import pytest

from tests.api.conftest import OTHER_STUDY

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_studies(published_seed_study, editor):
    from acuevidence.research.services import study_publish, study_save_curated

    other, _ = study_save_curated(
        data={**OTHER_STUDY, "key": "stroke-2019", "conditions": ["stroke"], "year": 2019},
        source="manual",
        editor=editor,
    )
    return published_seed_study, study_publish(study=other, reviewer=editor)


def test_a_synonym_finds_the_condition_and_its_studies(client, two_studies):
    html = client.get("/search/", {"q": "hemiparesis"}).content.decode()
    seed, _ = two_studies
    assert seed.title in html
    assert "Post-stroke hemiplegia" in html
    assert "Also searched for:" in html


def test_facets_count_and_filter_the_study_hits(client, two_studies):
    from acuevidence.search.selectors import site_search

    results = site_search("stroke")
    years = {v.value: v.count for v in results.facets["year"]}
    assert years == {"2025": 1, "2019": 1}
    filtered = site_search("stroke", selected={"year": "2019"})
    assert [h.item.slug for h in filtered.studies] == ["stroke-2019"]
    assert [v.selected for v in filtered.facets["year"]] == [True]
    html = client.get("/search/", {"q": "stroke", "year": "2019"}).content.decode()
    assert 'aria-current="true"' in html and "(remove)" in html


def test_drafts_and_withdrawn_studies_are_never_found(client, two_studies):
    _, other = two_studies
    other.withdrawn = True
    other.save()
    from acuevidence.search.selectors import site_search

    assert [h.item.slug for h in site_search("stroke").studies] == ["seed-acupotomy-stroke"]


def test_empty_query_shows_the_form_only(client, site):
    response = client.get("/search/", {"q": "  "})
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "Nothing matched" not in response.content.decode()


def test_no_match_says_so(client, published_seed_study):
    html = client.get("/search/", {"q": "zzzqqq"}).content.decode()
    assert "Nothing matched" in html


def test_the_certainty_facet_counts_and_filters_rated_studies(client, site, vocab, editor):
    from tests.research.demo_data import demo_entries, load

    load(demo_entries("acupotomy-stroke-2025"), editor=editor)
    page = client.get("/search/", {"q": "acupotomy"}).content.decode()
    assert "Certainty of evidence" in page
    assert "certainty=low" in page
    assert (
        "acupotomy"
        in client.get("/search/", {"q": "acupotomy", "certainty": "low"}).content.decode().lower()
    )
    none = client.get("/search/", {"q": "acupotomy", "certainty": "high"}).content.decode()
    assert "Effect of ultrasound-guided acupotomy" not in none
