"""JSON-LD on public pages is valid schema.org, and says what the page is about."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from acuevidence.content.structured_data import condition_ld, study_ld
from tests.conftest import SEED_STUDY
from tests.content.schemaorg import problems

pytestmark = pytest.mark.django_db

_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(client: Any, url: str) -> list[dict[str, Any]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [json.loads(block) for block in _LD.findall(response.content.decode())]


def test_the_validator_catches_wrong_types_properties_and_values():
    assert problems({"@type": "MedicalTrail"}) == ["$: unknown @type 'MedicalTrail'"]
    assert problems({"@type": "Person", "lastReviewed": "2024-01-01"}) == [
        "$.lastReviewed: 'lastReviewed' cannot be used on Person"
    ]
    assert problems({"@type": "MedicalTrial", "status": "https://schema.org/Finished"})
    assert problems({"@type": "WebPage", "reviewedBy": {"@type": "MedicalCondition"}})
    assert problems({"@type": "WebPage", "colour": "red"})
    assert not problems({"@type": "MedicalTrial", "status": "https://schema.org/Completed"})


@pytest.fixture
def ongoing_trial(vocab: None, site: Any, editor: Any) -> Any:
    """A registered trial with no publication yet."""
    from acuevidence.research.services import study_publish, study_save_curated

    data = {
        **SEED_STUDY,
        "key": "registered-trial",
        "pmid": "",
        "journal": "",
        "status": "ongoing",
        "registry_ids": ["NCT05230628"],
        "results": [],
        "comparisons": [],
    }
    study, _ = study_save_curated(data=data, source="manual", editor=editor)
    return study_publish(study=study, reviewer=editor)


def test_published_study_is_a_medical_scholarly_article_about_a_trial(client, published_seed_study):
    (data,) = json_ld(client, published_seed_study.get_absolute_url())
    assert problems(data) == []
    assert data["@type"] == "MedicalScholarlyArticle"
    assert data["url"] == f"http://testserver/studies/{published_seed_study.slug}/"
    trial = data["about"][0]
    assert trial["@type"] == "MedicalTrial"
    assert trial["status"] == "https://schema.org/Completed"
    assert trial["healthCondition"][0]["name"] == "Post-stroke hemiplegia"
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "40048119"} in data[
        "identifier"
    ]
    assert "https://pubmed.ncbi.nlm.nih.gov/40048119/" in data["sameAs"]


def test_registered_trial_without_publication_is_a_medical_trial(client, ongoing_trial):
    (data,) = json_ld(client, ongoing_trial.get_absolute_url())
    assert problems(data) == []
    assert data["@type"] == "MedicalTrial"
    assert data["status"] == "https://schema.org/ActiveNotRecruiting"
    assert data["identifier"][0]["value"] == "NCT05230628"


def test_condition_hub_is_a_reviewed_medical_web_page(client, published_seed_study, editor):
    (data,) = json_ld(client, "/conditions/post-stroke-hemiplegia/")
    assert problems(data) == []
    assert data["@type"] == "MedicalWebPage"
    assert data["about"][0]["@type"] == "MedicalCondition"
    assert "hemiparesis after stroke" in data["about"][0]["alternateName"]
    assert data["lastReviewed"] == published_seed_study.reviewed_at.date().isoformat()
    assert data["reviewedBy"] == {"@type": "Person", "name": "Erin Editor"}


def test_condition_carries_its_mesh_code(vocab):
    from acuevidence.research.models import Condition

    data = condition_ld(Condition.objects.get(slug="stroke"))
    assert data["code"] == {"@type": "MedicalCode", "codeValue": "D020521", "codingSystem": "MeSH"}
    assert problems(data) == []


def test_article_is_a_medical_web_page_with_its_review(client, published_seed_study):
    from acuevidence.content.services import article_save

    article, _ = article_save(
        data={
            "slug": "what-trials-show",
            "title": "What trials show",
            "lede": "A short lede.",
            "author": "Ann Author",
            "reviewed_by": "Rita Reviewer",
            "last_reviewed": "2025-03-01",
            "sections": [{"heading": "One", "paragraphs": ["Text."]}],
            "related_conditions": ["post-stroke-hemiplegia"],
        }
    )
    (data,) = json_ld(client, article.url)
    assert problems(data) == []
    assert (data["@type"], data["lastReviewed"]) == ("MedicalWebPage", "2025-03-01")
    assert data["reviewedBy"]["name"] == "Rita Reviewer"
    assert data["author"]["name"] == "Ann Author"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/", "WebSite"),
        ("/studies/", "CollectionPage"),
        ("/highlights/", "CollectionPage"),
        ("/practitioners/", "CollectionPage"),
        ("/search/?q=stroke", "SearchResultsPage"),
        ("/conditions/", "CollectionPage"),
        ("/articles/", "CollectionPage"),
    ],
)
def test_every_other_public_page_has_valid_json_ld(client, published_seed_study, url, kind):
    (data,) = json_ld(client, url)
    assert problems(data) == []
    assert data["@type"] == kind


def test_practitioner_profile_json_ld_is_valid_schema_org(client, vocab):
    from acuevidence.directory.models import Location, Practitioner

    practitioner = Practitioner.objects.create(name="Pat Doe", credentials="L.Ac.", website="")
    Location.objects.create(
        practitioner=practitioner, city="Austin", region="TX", latitude=30.27, longitude=-97.74
    )
    blocks = json_ld(client, practitioner.get_absolute_url())
    assert blocks, "the profile declares no JSON-LD"
    for data in blocks:
        assert problems(data) == [], data


def test_json_ld_cannot_break_out_of_its_script_element(published_seed_study):
    from django.template.loader import render_to_string

    published_seed_study.key_finding = "</script><script>alert(1)</script>"
    data = study_ld(published_seed_study, url="http://testserver/x/")
    html = render_to_string("includes/json_ld.html", {"data": data})
    assert "</script><script>" not in html
    assert json.loads(_LD.search(html).group(1))["description"] == published_seed_study.key_finding


def test_pages_declare_canonical_url_open_graph_and_feeds(client, published_seed_study):
    html = client.get("/studies/?condition=stroke&utm_source=x&page=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/studies/?condition=stroke">' in html
    assert '<meta property="og:title" content="Published studies: Stroke">' in html
    assert 'href="/feeds/conditions/stroke.rss"' in html
    study_html = client.get(published_seed_study.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in study_html
    assert f'content="{published_seed_study.title}"' in study_html
    assert 'href="/feeds/highlights.atom"' in study_html
