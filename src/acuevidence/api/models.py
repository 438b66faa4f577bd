"""What the API stores: editors' import requests.

An :class:`ImportRequest` records one submission (an identifier or a file) and
its progress through the import pipeline; the study it produces lands in the
editors' review queue. Access tokens are Wagtail's own (``wagtail.models.APIToken``,
created in the admin under Account > API tokens or with ``manage.py api_tokens``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRequest(models.Model):
    """One request to import a study from an identifier or an uploaded file."""

    class Kind(models.TextChoices):
        PMID = "pmid", "PubMed id"
        NCT = "nct", "ClinicalTrials.gov id"
        FILE = "file", "File"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Imported, awaiting review"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    identifier = models.CharField(max_length=40, blank=True)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    message = models.TextField(blank=True, help_text="What happened, for the submitter.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    study = models.ForeignKey(
        "research.Study", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier or self.original_filename}"
