"""Editors' workflow: a draft is never public, and a second person must approve it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from acuevidence.research.models import Study
from acuevidence.research.roles import EDITORS, REVIEWERS, roles_ensure
from acuevidence.research.services import study_save_curated
from acuevidence.research.workflow import study_review_workflow
from tests.conftest import SEED_STUDY
from tests.research.test_admin_publishing import study_form

pytestmark = pytest.mark.django_db


def person(username: str, group: str):
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery staple", first_name=username.title()
    )
    user.groups.add(roles_ensure()[group])
    return user


def submitted(study: Study, by) -> object:
    return study_review_workflow().start(study, by)


def approve(study: Study, user) -> None:
    state = study.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, user, "approve")


@pytest.fixture
def draft(vocab, site):
    writer = person("wendy", REVIEWERS)
    study, _ = study_save_curated(data=SEED_STUDY, source="manual", editor=writer)
    return study, writer


def test_a_submitted_draft_is_not_public_until_a_second_person_approves(client, draft):
    study, writer = draft
    submitted(study, writer)
    url = reverse("study-detail", args=[study.slug])
    assert client.get(url).status_code == 404

    reviewer = person("rita", REVIEWERS)
    approve(study, reviewer)
    study.refresh_from_db()
    assert study.live
    assert study.reviewed_by == reviewer and study.reviewed_at is not None
    page = client.get(url).content.decode()
    assert "Reviewed by Rita on" in page and "Updated on" in page


def test_the_submitter_cannot_approve_their_own_submission(client, draft):
    study, writer = draft
    submitted(study, writer)
    task = study.current_workflow_state.current_task_state.task.specific
    assert "approve" not in {name for name, *_ in task.get_actions(study, writer)}
    with pytest.raises(PermissionDenied):
        approve(study, writer)
    study.refresh_from_db()
    assert not study.live
    assert client.get(reverse("study-detail", args=[study.slug])).status_code == 404


def test_an_editor_outside_the_reviewers_cannot_approve(draft):
    study, writer = draft
    submitted(study, writer)
    with pytest.raises(PermissionDenied):
        approve(study, person("eddie", EDITORS))
    study.refresh_from_db()
    assert not study.live


def test_in_the_admin_only_administrators_publish_without_review(client, vocab, site):
    reviewer = person("rita", REVIEWERS)
    client.force_login(reviewer)
    add = client.get(reverse("wagtailsnippets_research_study:add")).content.decode()
    assert 'name="action-publish"' not in add
    assert 'name="action-submit"' in add
    response = client.post(
        reverse("wagtailsnippets_research_study:add"),
        study_form(**{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    study = Study.objects.get(slug="pilot-2024")
    assert not study.live
    assert client.get(reverse("study-detail", args=[study.slug])).status_code == 404
