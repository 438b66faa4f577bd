"""Background jobs as staff see them: one row per job, one per attempt.

django-tasks keeps one result per *run* (and only with the database backend); the
immediate backend of the demo keeps nothing. These rows are written by
:mod:`acuevidence.ops.jobs` whichever backend runs the work, so the "Background jobs"
report shows the same history in the demo and in production: what ran, how often it
was tried, why it failed and when it will be tried again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

# A job whose attempt has been "running" this long has lost its worker (killed, OOM);
# staff may start it again.
STALE_AFTER = dt.timedelta(hours=1)


class Job(models.Model):
    """One piece of background work (a django-tasks task and its arguments), all attempts."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        RETRYING = "retrying", "Failed, will retry"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    task_path = models.CharField(max_length=255, db_index=True)
    args_kwargs = models.JSONField(help_text="The task's arguments, as queued.")
    backend = models.CharField(max_length=32, default="default")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField()
    enqueued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True, help_text="Of the last attempt.")
    finished_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True, help_text="The task's return value.")
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enqueued_at", "-pk"]
        indexes = [models.Index(fields=["status", "-enqueued_at"], name="ops_job_status_recent")]
        default_permissions = ("view",)
        permissions = [("retry_job", "Can start a failed background job again")]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.get_status_display()})"

    @property
    def task_name(self) -> str:
        return self.task_path.rpartition(".")[2]

    @property
    def args(self) -> list:
        return list(self.args_kwargs.get("args", []))

    @property
    def kwargs(self) -> dict:
        return dict(self.args_kwargs.get("kwargs", {}))

    @property
    def is_retryable(self) -> bool:
        """Failed for good, or stuck "running" because its worker died."""
        if self.status == self.Status.FAILED:
            return True
        return (
            self.status == self.Status.RUNNING
            and self.started_at is not None
            and timezone.now() - self.started_at > STALE_AFTER
        )


class JobAttempt(models.Model):
    """One run of a job: when, and the error if it failed."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Exception class and message.")
    traceback = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "number"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="ops_jobattempt_unique_number")
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of job #{self.job_id} ({self.get_outcome_display()})"
