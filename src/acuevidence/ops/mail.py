"""Outgoing e-mail as a background job.

Sending talks to an SMTP server that may be slow or briefly down. As a job, a sign-up
or a contact form answers at once, a passing SMTP failure is retried
(:mod:`acuevidence.ops.jobs`), and a message that could not be sent is listed for staff
instead of surfacing as an error page. With the database queue the message is sent only
if the transaction that asked for it commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from smtplib import SMTPRecipientsRefused

from django.core.mail import BadHeaderError, EmailMessage

from acuevidence.ops.jobs import RetryPolicy, retrying_task

# A refused address or a header with a line break will fail the same way next time.
MAIL_POLICY = RetryPolicy(give_up_on=(SMTPRecipientsRefused, BadHeaderError))


@retrying_task(policy=MAIL_POLICY)
def email_send_task(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    from_email: str | None = None,
) -> int:
    """Send one plain-text message (``from_email`` None: ``DEFAULT_FROM_EMAIL``)."""
    message = EmailMessage(
        subject=subject, body=body, from_email=from_email, to=to, reply_to=reply_to
    )
    return message.send()


def email_send(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    reply_to: Sequence[str] = (),
    from_email: str | None = None,
) -> None:
    """Queue one plain-text message (sent at once under the immediate backend)."""
    email_send_task.enqueue(
        subject=subject,
        body=body,
        to=list(to),
        reply_to=list(reply_to) or None,
        from_email=from_email,
    )
