"""Synthesis texts: editors edit, a different reviewer approves, the hub shows approved words only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from acuevidence.research.models import Condition, ConditionSynthesis, SynthesisVersion
from acuevidence.research.syntheses import (
    SynthesisReviewError,
    syntheses_refresh_all,
    synthesis_refresh,
    synthesis_version_approve,
    synthesis_version_texts_digest,
    synthesis_version_words_edit,
)
from tests.research.demo_data import demo_entries, load

pytestmark = pytest.mark.django_db

NAUSEA = "postoperative-nausea-vomiting"
EDITED = "P6 stimulation probably reduces nausea after surgery (edited wording)."


def _user(username: str, group: str | None) -> Any:
    from django.contrib.auth import get_user_model

    from acuevidence.research.roles import roles_ensure

    user = get_user_model().objects.create_user(
        username=username, password="x" * 16, first_name=username.capitalize()
    )
    if group:
        user.groups.add(roles_ensure()[group])
    return user


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    from acuevidence.research.roles import EDITORS, REVIEWERS

    return {
        "editor": _user("edna", EDITORS),
        "reviewer": _user("rita", REVIEWERS),
        "second_reviewer": _user("rob", REVIEWERS),
        "reader": _user("reader", None),
    }


@pytest.fixture
def version(vocab: None, site: Any, editor: Any) -> SynthesisVersion:
    """The nausea synthesis of three Lee & Done trials, its texts automated, its hub page made."""
    from acuevidence.content.services import condition_hubs_ensure

    load(demo_entries("lee2004-")[:3], editor=editor)
    syntheses_refresh_all(trigger="test")
    condition_hubs_ensure(conditions=[Condition.objects.get(slug=NAUSEA)])
    found = ConditionSynthesis.objects.get(
        condition__slug=NAUSEA, outcome__slug="ponv-incidence"
    ).latest_version
    assert found.pooled and found.key_finding and found.approved_at is None
    return found


def _hub(client: Client) -> str:
    return client.get(Condition.objects.get(slug=NAUSEA).get_absolute_url()).content.decode()


def _texts_url(version: SynthesisVersion) -> str:
    return reverse("research_synthesis_version_texts", args=[version.pk])


def _approve_url(version: SynthesisVersion) -> str:
    return reverse("research_synthesis_version_approve", args=[version.pk])


# ----------------------------------------------------------------------------- services


def test_an_edit_records_the_editor_and_only_someone_else_may_approve(version, people):
    edited = synthesis_version_words_edit(
        version=version, editor=people["reviewer"], texts={"key_finding": EDITED}
    )
    assert edited.key_finding == EDITED
    assert edited.words_edited_by == people["reviewer"] and edited.words_edited_at
    with pytest.raises(PermissionDenied, match="second person"):
        synthesis_version_approve(version=edited, reviewer=people["reviewer"])
    assert SynthesisVersion.objects.get(pk=version.pk).approved_at is None

    approved = synthesis_version_approve(version=edited, reviewer=people["second_reviewer"])
    assert approved.approved_by == people["second_reviewer"] and approved.texts_approved


def test_editors_without_the_reviewer_permission_cannot_approve(version, people):
    for who in ("editor", "reader"):
        with pytest.raises(PermissionDenied):
            synthesis_version_approve(version=version, reviewer=people[who])
    assert SynthesisVersion.objects.get(pk=version.pk).approved_at is None


def test_readers_cannot_edit_and_an_edit_withdraws_an_approval(version, people):
    with pytest.raises(PermissionDenied):
        synthesis_version_words_edit(
            version=version, editor=people["reader"], texts={"key_finding": EDITED}
        )
    approved = synthesis_version_approve(version=version, reviewer=people["reviewer"])
    unchanged = synthesis_version_words_edit(
        version=approved, editor=people["editor"], texts={"key_finding": approved.key_finding}
    )
    assert unchanged.texts_approved and unchanged.words_edited_by is None  # nothing changed
    edited = synthesis_version_words_edit(
        version=approved, editor=people["editor"], texts={"what_it_means": "Edited."}
    )
    assert not edited.texts_approved and edited.words_edited_by == people["editor"]
    with pytest.raises(ValueError, match="unknown text"):
        synthesis_version_words_edit(
            version=version, editor=people["editor"], texts={"estimate": "0.5"}
        )


def test_approval_names_the_texts_read_and_only_the_current_version(version, people, editor):
    seen = synthesis_version_texts_digest(version)
    synthesis_version_words_edit(
        version=version, editor=people["editor"], texts={"key_finding": EDITED}
    )
    with pytest.raises(SynthesisReviewError, match="changed since"):
        synthesis_version_approve(version=version, reviewer=people["reviewer"], seen_digest=seen)

    load(demo_entries("lee2004-")[3:4], editor=editor)
    newer = synthesis_refresh(key=_key(version), trigger="test")
    assert newer.number == version.number + 1 and newer.approved_at is None
    with pytest.raises(SynthesisReviewError, match="replaced"):
        synthesis_version_approve(version=version, reviewer=people["reviewer"])


def _key(version: SynthesisVersion) -> tuple[int, int, str]:
    synthesis = version.synthesis
    return (synthesis.condition_id, synthesis.outcome_id, synthesis.comparator_type)


# ----------------------------------------------------------------------------- admin screens


def test_the_texts_screen_shows_origin_grade_flags_and_the_approve_button(client, version, people):
    client.force_login(people["reviewer"])
    html = client.get(_texts_url(version)).content.decode()
    assert "automated draft" in html and "Reading grade" in html
    assert "Approve these texts" in html and 'name="csrfmiddlewaretoken"' in html
    assert client.get(reverse("research_synthesis_texts")).status_code == 200

    client.force_login(people["editor"])
    response = client.post(
        _texts_url(version),
        {
            "key_finding": "This breakthrough proves P6 stimulation cures nausea.",
            "what_it_means": version.what_it_means,
            "plain_summary": version.plain_summary,
        },
    )
    assert response.status_code == 302
    html = client.get(_texts_url(version)).content.decode()
    assert "edited by Edna" in html
    assert "<code>hype</code>" in html and "<code>proof</code>" in html
    assert "Approve these texts" not in html  # an editor is not a reviewer

    client.force_login(people["reviewer"])
    assert "Approve these texts" in client.get(_texts_url(version)).content.decode()


def test_approving_through_the_admin_needs_post_csrf_permission_and_a_second_person(
    version, people
):
    url = _approve_url(version)

    def approved() -> bool:
        return SynthesisVersion.objects.get(pk=version.pk).approved_at is not None

    anonymous = Client(raise_request_exception=False)
    response = anonymous.post(url)
    assert response.status_code == 302 and "/login/" in response["Location"]

    for who in ("editor", "reader"):
        client = Client(raise_request_exception=False)
        client.force_login(people[who])
        assert client.post(url).status_code in {302, 403}
        assert not approved(), who

    reviewer = Client(raise_request_exception=False)
    reviewer.force_login(people["reviewer"])
    # Wagtail answers a refusal in its admin with a redirect and a message (or 403).
    assert reviewer.get(url).status_code in {302, 403}  # approving is a POST
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    strict.force_login(people["second_reviewer"])
    assert strict.post(url).status_code == 403  # no CSRF token
    assert not approved()

    reviewer.post(
        _texts_url(version),
        {"key_finding": EDITED, "what_it_means": "Edited.", "plain_summary": ""},
    )
    assert reviewer.post(url).status_code in {302, 403}  # rita edited them last
    assert not approved()

    other = Client()
    other.force_login(people["second_reviewer"])
    digest = synthesis_version_texts_digest(SynthesisVersion.objects.get(pk=version.pk))
    assert other.post(url, {"digest": digest}).status_code == 302
    assert approved()
    assert SynthesisVersion.objects.get(pk=version.pk).approved_by == people["second_reviewer"]


def test_the_hub_shows_approved_words_only_and_labels_the_draft(client, version, people):
    html = _hub(client)
    assert "RR " in html and "Summary of findings" in html  # the numbers are shown
    assert version.key_finding not in html and version.what_it_means not in html
    assert "Draft" in html and "not yet reviewed by an editor" in html

    edited = synthesis_version_words_edit(
        version=version,
        editor=people["editor"],
        texts={"key_finding": EDITED, "what_it_means": "Edited meaning."},
    )
    assert EDITED not in _hub(client)  # edited but not approved: still a draft

    synthesis_version_approve(version=edited, reviewer=people["reviewer"])
    html = _hub(client)
    assert EDITED in html and "Edited meaning." in html
    assert "Texts reviewed by Rita" in html and "not yet reviewed" not in html

    synthesis_version_words_edit(
        version=edited, editor=people["editor"], texts={"key_finding": "Another wording."}
    )
    html = _hub(client)
    assert "Another wording." not in html and EDITED not in html
