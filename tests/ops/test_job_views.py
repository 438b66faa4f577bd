"""Reports > Background jobs: administrators see failures and start them again; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from acuevidence.ops.models import Job
from acuevidence.research.roles import ADMINISTRATORS, roles_ensure
from tests.ops import sample_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters() -> None:
    sample_jobs.CALLS.clear()
    sample_jobs.gave_up.clear()


@pytest.fixture
def administrator() -> Any:
    user = get_user_model().objects.create_user(username="ada-admin", password="x" * 16)
    user.groups.add(roles_ensure()[ADMINISTRATORS])
    return user


@pytest.fixture
def failed_job() -> Job:
    sample_jobs.broken.enqueue("nightly")
    return Job.objects.get(status=Job.Status.FAILED)


def signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_administrators_see_failed_jobs_with_attempts_and_last_error(
    administrator: Any, failed_job: Job
) -> None:
    succeeded = sample_jobs.flaky.enqueue_job("fine", 0)
    client = signed_in(administrator)

    everything = client.get("/admin/jobs/").content.decode()
    failed_only = client.get("/admin/jobs/?status=failed").content.decode()

    assert f"/admin/jobs/{succeeded.pk}/" in everything
    assert f"/admin/jobs/{failed_job.pk}/" in failed_only
    assert f"/admin/jobs/{succeeded.pk}/" not in failed_only
    assert "RuntimeError: nightly is broken (run 3)" in failed_only
    assert "3 of 3" in failed_only
    assert "Background jobs" in client.get("/admin/").content.decode()  # Reports menu


def test_the_job_page_shows_each_attempt_with_its_traceback(
    administrator: Any, failed_job: Job
) -> None:
    html = signed_in(administrator).get(f"/admin/jobs/{failed_job.pk}/").content.decode()

    assert "tests.ops.sample_jobs.broken" in html
    for run in (1, 2, 3):
        assert f"RuntimeError: nightly is broken (run {run})" in html
    assert "Traceback (most recent call last)" in html
    assert "Start this job again" in html


def test_the_list_exports_as_csv(administrator: Any, failed_job: Job) -> None:
    response = signed_in(administrator).get("/admin/jobs/?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert "tests.ops.sample_jobs.broken" in text and "RuntimeError" in text


def test_starting_a_job_again_is_a_post_with_a_csrf_token(
    administrator: Any, failed_job: Job
) -> None:
    client = signed_in(administrator, enforce_csrf_checks=True)
    url = f"/admin/jobs/{failed_job.pk}/retry/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no token
    failed_job.refresh_from_db()
    assert failed_job.attempts == 3

    client.get(f"/admin/jobs/{failed_job.pk}/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token}, follow=True)

    assert response.status_code == 200
    failed_job.refresh_from_db()
    assert (failed_job.attempts, failed_job.retried_by) == (6, administrator)  # ran at once
    assert "was started again" in response.content.decode()


def test_a_job_that_did_not_fail_is_not_started_again(administrator: Any) -> None:
    job = sample_jobs.flaky.enqueue_job("fine", 0)
    response = signed_in(administrator).post(f"/admin/jobs/{job.pk}/retry/", follow=True)
    assert "was not started again" in response.content.decode()
    job.refresh_from_db()
    assert job.attempts == 1


def test_editors_do_not_see_jobs_or_start_them(editor: Any, failed_job: Job) -> None:
    client = signed_in(editor)  # a reviewer: admin access, no job permissions

    # Wagtail answers a refusal inside its admin with a redirect to the dashboard.
    for response in (
        client.get("/admin/jobs/"),
        client.get("/admin/jobs/results/"),
        client.get(f"/admin/jobs/{failed_job.pk}/"),
        client.post(f"/admin/jobs/{failed_job.pk}/retry/"),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "Background jobs" not in client.get("/admin/").content.decode()
    failed_job.refresh_from_db()
    assert failed_job.attempts == 3


def test_anonymous_readers_and_practitioners_are_sent_to_sign_in(failed_job: Job) -> None:
    practitioner = get_user_model().objects.create_user(username="pat", password="x" * 16)
    for client in (Client(), signed_in(practitioner)):
        for path in ("/admin/jobs/", f"/admin/jobs/{failed_job.pk}/"):
            response = client.get(path)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        response = client.post(f"/admin/jobs/{failed_job.pk}/retry/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    failed_job.refresh_from_db()
    assert failed_job.attempts == 3
