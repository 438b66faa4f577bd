"""The licence-expiry job: queued by a scheduler, run by the worker, practitioners told."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from acuevidence.directory.models import Licence
from acuevidence.directory.tasks import licences_expire_task
from acuevidence.ops.models import Job

pytestmark = pytest.mark.django_db


def test_the_expiry_job_lapses_expired_licences_and_mails_through_the_mail_job(
    make_practitioner: Any, make_licence: Any
) -> None:
    expired = make_licence(
        make_practitioner("Expired Ed", (37.7, -122.4), email="ed@example.org"),
        "AC 1",
        expires_in_days=-1,
    )
    current = make_licence(make_practitioner("Current Cy", (37.7, -122.4)), "AC 3")

    job = licences_expire_task.enqueue_job()

    assert (job.status, job.result) == (Job.Status.SUCCEEDED, 1)
    expired.refresh_from_db()
    assert expired.status == Licence.Status.EXPIRED
    assert current.is_verified()
    assert [m.to for m in mail.outbox] == [["ed@example.org"]]
    mail_job = Job.objects.get(task_path="acuevidence.ops.mail.email_send_task")
    assert (mail_job.status, mail_job.kwargs["to"]) == (Job.Status.SUCCEEDED, ["ed@example.org"])

    again = licences_expire_task.enqueue_job()  # idempotent, like the command
    assert again.result == 0 and len(mail.outbox) == 1


def test_a_scheduler_queues_the_expiry_with_the_jobs_command(
    make_practitioner: Any, make_licence: Any
) -> None:
    licence = make_licence(make_practitioner("Late Lu", (37.7, -122.4)), "AC 9", expires_in_days=5)
    out = io.StringIO()

    call_command(
        "jobs",
        "enqueue",
        "acuevidence.directory.tasks.licences_expire_task",
        "--kwargs",
        '{"today": "2099-01-01"}',
        stdout=out,
    )

    assert "licences_expire_task: succeeded" in out.getvalue()  # immediate backend
    licence.refresh_from_db()
    assert licence.status == Licence.Status.EXPIRED
