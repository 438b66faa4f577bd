"""The public read endpoints: published data only, filters, cursors, ETags and rate limits."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

API = "/api/v1"


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_study_list_shows_published_studies_only(client, corpus):
    response = client.get(f"{API}/studies/")
    assert response.status_code == 200
    assert sorted(slugs(response)) == ["migraine-trial", "seed-acupotomy-stroke"]


def test_study_detail_has_numbers_sources_checks_and_summaries(client, corpus):
    data = client.get(f"{API}/studies/seed-acupotomy-stroke/").json()
    assert data["conditions"] == ["post-stroke-hemiplegia"]
    assert [arm["n"] for arm in data["arms"]] == [51, 51]
    first = data["results"][0]
    assert (first["mean"], first["sd"], first["source"]["quote"]) == (8.86, 2.86, "8.86±2.86")
    comparison = data["comparisons"][0]
    assert (comparison["estimate"], comparison["ci_lower"], comparison["ci_upper"]) == (
        2.78,
        1.42,
        4.15,
    )
    # The seed trial's difference of means, 8.86 - 6.08 = 2.78, agrees with the reported MD.
    levels = {check["code"]: check["level"] for check in comparison["checks"]}
    assert levels and all(level == "ok" for level in levels.values()), levels
    assert data["highlight"] == corpus["seed"].highlight
    assert "entered_by" not in str(data)


@pytest.mark.parametrize("slug", ["draft-trial", "withdrawn-trial", "no-such-study"])
def test_unpublished_or_unknown_study_is_404(client, corpus, slug):
    response = client.get(f"{API}/studies/{slug}/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"condition": "stroke"}, ["seed-acupotomy-stroke"]),  # includes subconditions
        ({"condition": "migraine"}, ["migraine-trial"]),
        ({"condition": "unknown-condition"}, []),
        ({"therapy": "acupotomy"}, ["seed-acupotomy-stroke"]),
        ({"year": 2019}, ["migraine-trial"]),
        ({"year_from": 2020}, ["seed-acupotomy-stroke"]),
        ({"design": "rct", "status": "completed"}, ["migraine-trial", "seed-acupotomy-stroke"]),
        ({"design": "crossover"}, []),
    ],
)
def test_study_filters(client, corpus, query, expected):
    assert sorted(slugs(client.get(f"{API}/studies/", query))) == expected


def test_each_comparison_carries_its_certainty_and_studies_filter_by_it(client, vocab, editor):
    from tests.research.demo_data import demo_entries, load

    (seed,) = load(demo_entries("acupotomy-stroke-2025"), editor=editor)
    comparison = client.get(f"{API}/studies/{seed.slug}/").json()["comparisons"][0]
    assert comparison["certainty"] == "low"
    assert comparison["certainty_reasons"], "a rating is always shown with its reasons"
    assert slugs(client.get(f"{API}/studies/", {"certainty": "low"})) == [seed.slug]
    assert slugs(client.get(f"{API}/studies/", {"certainty": "high"})) == []


def test_invalid_filter_value_is_422(client, corpus):
    assert client.get(f"{API}/studies/", {"design": "anecdote"}).status_code == 422


def test_cursor_pagination_walks_every_item_once(client, vocab):
    seen: list[str] = []
    cursor = None
    while True:
        params = {"page_size": 7, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{API}/conditions/", params).json()
        seen += [item["slug"] for item in page["results"]]
        cursor = page["next"]
        if cursor is None:
            break
    from acuevidence.research.models import Condition

    assert seen == sorted(Condition.objects.values_list("slug", flat=True))
    assert len(seen) > 7


@pytest.mark.parametrize("cursor", ["@@@", "a b", "%%"])
def test_a_cursor_that_is_not_slug_shaped_is_422(client, vocab, cursor):
    response = client.get(f"{API}/conditions/", {"cursor": cursor})
    assert response.status_code == 422


def test_etag_and_conditional_get(client, corpus):
    first = client.get(f"{API}/studies/seed-acupotomy-stroke/")
    etag = first["ETag"]
    assert etag and "max-age=" in first["Cache-Control"]
    again = client.get(f"{API}/studies/seed-acupotomy-stroke/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    stale = client.get(f"{API}/studies/seed-acupotomy-stroke/", HTTP_IF_NONE_MATCH='"stale"')
    assert stale.status_code == 200


def test_etag_changes_when_the_data_changes(client, corpus):
    before = client.get(f"{API}/studies/")["ETag"]
    corpus["other"].withdrawn = True
    corpus["other"].save()
    assert client.get(f"{API}/studies/")["ETag"] != before


def test_anonymous_clients_are_throttled(client, vocab, settings):
    cache.clear()
    settings.ACUEVIDENCE_API_ANON_RATE = "3/min"
    statuses = [client.get(f"{API}/therapies/").status_code for _ in range(5)]
    cache.clear()
    assert statuses == [200, 200, 200, 429, 429]


def test_vocabulary_endpoints(client, vocab):
    condition = client.get(f"{API}/conditions/post-stroke-hemiplegia/").json()
    assert condition["parent"] == "stroke"
    assert "hemiparesis after stroke" in condition["synonyms"]
    therapy = client.get(f"{API}/therapies/sham-acupuncture/").json()
    assert therapy["is_control"] is True
    assert client.get(f"{API}/outcome-measures/").json()["results"]
    assert client.get(f"{API}/therapies/nothing-here/").status_code == 404


def test_highlights_newest_first_and_by_condition(client, corpus):
    all_highlights = [h["study"] for h in client.get(f"{API}/highlights/").json()]
    assert all_highlights == ["migraine-trial", "seed-acupotomy-stroke"]
    stroke = client.get(f"{API}/highlights/", {"condition": "stroke"}).json()
    assert [h["study"] for h in stroke] == ["seed-acupotomy-stroke"]


def test_practitioners_public_fields_only(client, practitioners):
    response = client.get(f"{API}/practitioners/")
    assert sorted(slugs(response)) == ["nora-york", "sam-francis"]
    body = response.content.decode()
    assert "private.example" not in body
    assert "Hidden Person" not in body
    for forbidden in ("email", "user", "documents", "is_published"):
        assert forbidden not in response.json()["results"][0]
    assert client.get(f"{API}/practitioners/hidden-person/").status_code == 404


def test_practitioners_within_a_radius(client, practitioners):
    # Oakland is about 13 km from San Francisco and 4,100 km from New York.
    near_oakland = {"near": "37.8044,-122.2712", "radius_km": 25}
    results = client.get(f"{API}/practitioners/", near_oakland).json()["results"]
    assert [p["slug"] for p in results] == ["sam-francis"]
    assert 10 < results[0]["distance_km"] < 16


def test_practitioner_filters(client, practitioners):
    assert slugs(client.get(f"{API}/practitioners/", {"telehealth": True})) == ["sam-francis"]
    # Experience with stroke is relevant to its subcondition post-stroke hemiplegia.
    by_condition = client.get(f"{API}/practitioners/", {"condition": "post-stroke-hemiplegia"})
    assert sorted(slugs(by_condition)) == ["nora-york", "sam-francis"]
    assert slugs(client.get(f"{API}/practitioners/", {"condition": "migraine"})) == []


@pytest.mark.parametrize("near", ["37.8", "91,0", "0,181", "north,west"])
def test_a_place_must_be_latitude_comma_longitude_in_range(client, practitioners, near):
    assert client.get(f"{API}/practitioners/", {"near": near}).status_code == 422
