"""Bookkeeping of imports: batches, the source records behind each study, quarantine, conflicts.

Studies themselves live in ``research``; this app remembers where each one came
from, so a re-import can tell a source's new version from an editor's curation,
and so nothing a source sent is ever lost (old versions are kept, bad records
are quarantined with the reason).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from acuevidence.research.models import Study


class ImportBatch(models.Model):
    """One run of an importer over a file or a live query."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    source = models.CharField(max_length=20, help_text="pubmed, medline, ris, ctgov or csv")
    origin = models.CharField(max_length=500, help_text="The file name or the live query.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.RUNNING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    checkpoint = models.JSONField(
        default=dict, blank=True, help_text="Where a live fetch stands, so it can resume."
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0, help_text="Merged into an existing study.")
    withdrawn = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.source} import of {self.origin} ({self.get_state_display()})"

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged + self.withdrawn + self.errors


class SourceRecord(models.Model):
    """The latest version of one record from one source, and the study it feeds."""

    source = models.CharField(max_length=20)
    source_key = models.CharField(max_length=200, help_text="PMID, NCT id, DOI or a title hash.")
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="source_records")
    data = models.JSONField(help_text="The normalized record as last imported.")
    content_hash = models.CharField(max_length=64)
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="source_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_key}"


class SourceRecordVersion(models.Model):
    """A superseded version of a source record, kept as history."""

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="versions")
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.record} as of {self.imported_at:%Y-%m-%d}"


class QuarantinedRecord(models.Model):
    """A record that could not be imported: where it was, which field, and why."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="quarantine")
    file = models.CharField(max_length=500)
    record_number = models.PositiveIntegerField(null=True, blank=True)
    record_id = models.CharField(max_length=200, blank=True)
    field = models.CharField(max_length=100)
    message = models.TextField()
    raw = models.TextField(blank=True)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "record_number"]

    def __str__(self) -> str:
        return f"{self.file} record {self.record_number} ({self.record_id}): {self.field}"


class ImportConflict(models.Model):
    """A source changed a field that an editor had curated; the editor decides."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="import_conflicts")
    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="conflicts")
    field = models.CharField(max_length=100)
    current_value = models.JSONField(null=True)
    incoming_value = models.JSONField(null=True)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["study", "record", "field"],
                condition=models.Q(resolved=False),
                name="one_open_conflict_per_field",
            )
        ]

    def __str__(self) -> str:
        return f"{self.study}: {self.field}"


class Watermark(models.Model):
    """The newest source date seen by a recurring live fetch ("living" evidence)."""

    name = models.CharField(max_length=300, unique=True)
    value = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"


class StudyIdentifier(models.Model):
    """An index of every identifier a study is known by, for linking records across sources."""

    class Scheme(models.TextChoices):
        PMID = "pmid", "PMID"
        DOI = "doi", "DOI"
        PMCID = "pmcid", "PMCID"
        REGISTRY = "registry", "Trial registry id"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    value = models.CharField(max_length=200, help_text="Normalized: upper-case, no spaces.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="study_identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"
