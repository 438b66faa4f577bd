"""An editor creates, edits and publishes a study through the Wagtail admin."""

import pytest
from django.urls import reverse

from acuevidence.research.models import Condition, Study

pytestmark = pytest.mark.django_db


def study_form(**overrides):
    data = {
        "title": "Electroacupuncture after stroke: a pilot trial",
        "short_title": "Pilot 2024",
        "slug": "pilot-2024",
        "pmid": "",
        "pmcid": "",
        "doi": "",
        "registry_ids": "[]",
        "authors": '["Tester T"]',
        "journal": "J Test",
        "year": "2024",
        "design": "rct",
        "status": "completed",
        "sample_size": "40",
        "treatment_period": "",
        "follow_up": "",
        "abstract": "",
        "source": "manual",
        "source_note": "",
        "key_finding": "Draft key finding.",
        "plain_summary": "",
        "technical_summary": "",
        "highlight": "A pilot trial of 40 people.",
    }
    for prefix in ("arms", "results", "comparisons", "risk_of_bias", "certainty_overrides"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data["arms-TOTAL_FORMS"] = "1"
    data.update(
        {
            "arms-0-label": "electroacupuncture",
            "arms-0-n": "20",
            "arms-0-therapy": "",
            "arms-0-description": "",
            "arms-0-source_label": "",
            "arms-0-source_quote": "",
            "arms-0-ORDER": "1",
            "arms-0-id": "",
            "arms-0-DELETE": "",
        }
    )
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, admin_user_with_password, vocab, site):
    client.force_login(admin_user_with_password)
    return client


def test_saving_a_draft_in_the_admin_keeps_it_off_the_public_site(admin_client):
    url = reverse("wagtailsnippets_research_study:add")
    data = study_form(conditions=[Condition.objects.get(slug="stroke").pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    study = Study.objects.get(slug="pilot-2024")
    assert not study.live
    assert admin_client.get(reverse("study-detail", args=["pilot-2024"])).status_code == 404


def test_publishing_in_the_admin_makes_it_public_and_later_drafts_stay_private(
    admin_client, client
):
    add_url = reverse("wagtailsnippets_research_study:add")
    response = admin_client.post(add_url, study_form(**{"action-publish": "publish"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    study = Study.objects.get(slug="pilot-2024")
    assert study.live
    page = admin_client.get(reverse("study-detail", args=["pilot-2024"]))
    assert "Draft key finding." in page.content.decode()
    assert "n=20" in page.content.decode()

    edit_url = reverse("wagtailsnippets_research_study:edit", args=[study.pk])
    arms = {"arms-INITIAL_FORMS": "1", "arms-0-id": str(study.arms.get().pk)}
    response = admin_client.post(
        edit_url, study_form(key_finding="Edited but unpublished.", **arms)
    )
    assert response.status_code == 302
    page = admin_client.get(reverse("study-detail", args=["pilot-2024"]))
    assert "Draft key finding." in page.content.decode()
    assert "Edited but unpublished." not in page.content.decode()

    response = admin_client.post(
        edit_url,
        study_form(key_finding="Edited and published.", **arms, **{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    page = admin_client.get(reverse("study-detail", args=["pilot-2024"]))
    assert "Edited and published." in page.content.decode()
