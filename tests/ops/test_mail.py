"""The e-mail job: one message per job, sent by Django's mail backend, retried on failure."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core import mail

from acuevidence.ops.mail import email_send
from acuevidence.ops.models import Job

pytestmark = pytest.mark.django_db


def test_the_mail_job_sends_one_message_with_its_reply_to() -> None:
    email_send(
        subject="Hello",
        body="A message from a reader.",
        to=["pat@example.org"],
        reply_to=["reader@example.net"],
    )

    [message] = mail.outbox
    assert (message.subject, message.to, message.reply_to) == (
        "Hello",
        ["pat@example.org"],
        ["reader@example.net"],
    )
    assert message.from_email == "AcuEvidence <noreply@localhost>"
    job = Job.objects.get()
    assert (job.task_name, job.status, job.result) == ("email_send_task", "succeeded", 1)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


def test_an_unreachable_mail_server_is_retried_then_listed_not_raised(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )

    email_send(subject="Hello", body="Nobody will read this.", to=["pat@example.org"])

    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 5)
    assert job.last_error.startswith("ConnectionRefusedError")


def test_a_header_with_a_line_break_is_not_retried() -> None:
    email_send(subject="Hello\nBcc: everyone@example.org", body="x", to=["pat@example.org"])

    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)
    assert not mail.outbox
