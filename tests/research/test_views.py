"""Public research pages show published studies only, with the seed page's anatomy."""

import pytest
from django.urls import reverse

from acuevidence.research.services import study_save_curated
from tests.conftest import SEED_STUDY

pytestmark = pytest.mark.django_db


def test_study_page_shows_key_parts_of_a_published_study(client, published_seed_study):
    response = client.get(reverse("study-detail", args=[published_seed_study.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Technical summary",
        "8.86 ± 2.86",
        "6.08 ± 3.99",
        "2.78 (1.42 to 4.15)",
        "p&lt;0.001",
        "n=51",
        "Find a practitioner",
        "https://pubmed.ncbi.nlm.nih.gov/40048119/",
        "?condition=post-stroke-hemiplegia",
    ):
        assert expected in html, expected


def test_a_draft_study_is_not_public(client, vocab, editor):
    study, _ = study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    assert client.get(reverse("study-detail", args=[study.slug])).status_code == 404
    assert study.title not in client.get(reverse("study-list")).content.decode()


def test_withdrawn_study_disappears_from_public_pages(client, published_seed_study):
    published_seed_study.withdrawn = True
    published_seed_study.save()
    assert client.get(reverse("study-detail", args=[published_seed_study.slug])).status_code == 404


def test_highlights_page_lists_published_highlights(client, published_seed_study):
    response = client.get(reverse("highlight-list"))
    assert published_seed_study.highlight in response.content.decode()


def test_study_list_filters_by_condition_including_subconditions(client, published_seed_study):
    response = client.get(reverse("study-list"), {"condition": "stroke"})
    assert published_seed_study.title in response.content.decode()
    response = client.get(reverse("study-list"), {"condition": "migraine"})
    assert published_seed_study.title not in response.content.decode()
