"""Import parsed source records into studies: upsert, link across sources, never lose anything.

The pipeline is ``evidence.sources`` (parse) -> :func:`batch_import` (this
module) -> research studies in the editors' review queue. Rules:

- Upsert keyed by identifiers (PMID, DOI, PMCID, registry ids), then by a close
  title match in the same year (rapidfuzz), so one trial from PubMed and
  ClinicalTrials.gov becomes one study with two source records.
- Importing the same record twice changes nothing (content hash).
- A newer version of a record updates the fields that no editor has changed; the
  previous version is kept in :class:`SourceRecordVersion`. A field an editor
  curated is never overwritten: the difference becomes an :class:`ImportConflict`.
- A published study is never changed in place: changes go into a new draft
  revision for an editor to review.
- Each record is imported in its own transaction; a bad record is quarantined
  with its file, number, id, field and message, and the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from rapidfuzz import fuzz, process

from acuevidence.evidence.extract import extract
from acuevidence.evidence.records import RecordError, Status, StudyRecord
from acuevidence.ingest.models import (
    ImportBatch,
    ImportConflict,
    QuarantinedRecord,
    SourceRecord,
    SourceRecordVersion,
    StudyIdentifier,
)
from acuevidence.research.models import Arm, Comparison, Result, Study

TITLE_MATCH_THRESHOLD = 92.0
"""Minimum rapidfuzz token-sort ratio (0-100) for two titles of the same year to be one study."""

SOURCE_FIELDS = (
    "title",
    "abstract",
    "journal",
    "year",
    "authors",
    "design",
    "status",
    "sample_size",
    "pmid",
    "doi",
    "pmcid",
    "registry_ids",
)
"""Study fields a source may set; everything else (summaries, numbers' confirmation) is editorial."""

COMMIT_EVERY = 100
"""Records per database transaction in a batch import."""

ProgressCallback = Callable[[ImportBatch], None]


def study_fields_from_record(record: StudyRecord) -> dict[str, Any]:
    """The study field values a record carries, in the shape ``Study`` stores them."""
    registry_ids = list(
        dict.fromkeys([*([record.nct_id] if record.nct_id else []), *record.registry_ids])
    )
    fields: dict[str, Any] = {
        "title": record.title.strip()[:500],
        "abstract": record.abstract,
        "journal": record.journal[:300],
        "year": record.year,
        "authors": list(record.authors),
        "design": record.design.value if record.design else None,
        "status": record.status.value if record.status else None,
        "sample_size": record.enrollment,
        "pmid": record.pmid or "",
        "doi": (record.doi or "").lower(),
        "pmcid": record.pmcid or "",
        "registry_ids": registry_ids,
    }
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def record_key(record: StudyRecord) -> str:
    """The record's stable key within its source."""
    for value in (record.pmid, record.nct_id, record.doi):
        if value:
            return value
    digest = hashlib.sha256(f"{record.title.lower()}|{record.year}".encode()).hexdigest()
    return f"title:{digest[:32]}"


def _content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _identifiers(fields: dict[str, Any]) -> list[tuple[str, str]]:
    ids = [
        (scheme, str(fields[scheme]).strip().upper())
        for scheme in ("pmid", "doi", "pmcid")
        if fields.get(scheme)
    ]
    ids += [("registry", value.strip().upper()) for value in fields.get("registry_ids", [])]
    return ids


def study_identifiers_sync(study: Study) -> None:
    """Index every identifier the study carries (never steals one indexed for another study)."""
    fields = {
        "pmid": study.pmid,
        "doi": study.doi,
        "pmcid": study.pmcid,
        "registry_ids": list(study.registry_ids),
    }
    for scheme, value in _identifiers(fields):
        StudyIdentifier.objects.get_or_create(scheme=scheme, value=value, defaults={"study": study})


def identifier_index_backfill() -> int:
    """Index the identifiers of studies that were created outside an import (editor, demo)."""
    missing = Study.objects.filter(identifiers__isnull=True)
    count = 0
    for study in missing.iterator():
        study_identifiers_sync(study)
        count += 1
    return count


def study_match(fields: dict[str, Any]) -> tuple[Study | None, str]:
    """The existing study a record belongs to, and how it was matched ("" when new)."""
    for scheme, value in _identifiers(fields):
        found = StudyIdentifier.objects.filter(scheme=scheme, value=value).select_related("study")
        entry = found.first()
        if entry is not None:
            return entry.study, scheme
    title, year = fields.get("title"), fields.get("year")
    if title and year:
        candidates_qs = Study.objects.filter(year=year)
        if fields.get("pmid"):
            # An article with a PMID can only be the same study as one not yet linked to PubMed.
            candidates_qs = candidates_qs.filter(pmid="")
        candidates = dict(candidates_qs.values_list("pk", "title"))
        best = process.extractOne(
            title,
            candidates,
            scorer=fuzz.token_sort_ratio,
            processor=str.lower,
            score_cutoff=TITLE_MATCH_THRESHOLD,
        )
        if best is not None:
            return Study.objects.get(pk=best[2]), "title"
    return None, ""


def _merge_field(name: str, current: Any, incoming: Any) -> Any:
    if name == "registry_ids":
        return list(dict.fromkeys([*(current or []), *incoming]))
    return incoming


def _is_empty(value: Any) -> bool:
    return value in (None, "", [])


def _plan_changes(
    *, study: Study, incoming: dict[str, Any], previous: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    """Split a record's fields into updates to apply and conflicts to queue.

    ``previous`` is what this same source record said last time (None when the
    source feeds this study for the first time). A field whose current value still
    equals the previous import was not curated and follows the source; one an
    editor changed is kept, and a source change to it becomes a conflict. A new
    source linked to an existing study only fills empty fields.
    """
    updates: dict[str, Any] = {}
    conflicts: dict[str, tuple[Any, Any]] = {}
    for name, value in incoming.items():
        current = getattr(study, name)
        merged = _merge_field(name, current, value)
        if merged == current:
            continue
        if name == "registry_ids" or _is_empty(current):
            updates[name] = merged
        elif previous is None:
            continue
        elif current == previous.get(name):
            updates[name] = merged
        elif value != previous.get(name):
            conflicts[name] = (current, value)
    return updates, conflicts


def _status_update(study: Study, record: StudyRecord, updates: dict[str, Any]) -> None:
    """An ongoing trial becomes completed when results are posted or a publication links to it."""
    if study.status != Status.ONGOING:
        return
    if record.source != "ctgov" or record.results or record.comparisons:
        updates["status"] = Status.COMPLETED.value


def _write(study: Study, updates: dict[str, Any]) -> None:
    """Apply updates: in place for drafts, as a new draft revision for a published study."""
    for name, value in updates.items():
        setattr(study, name, value)
    if study.live:
        study.save_revision(log_action=True)
    else:
        study.save()
        study.save_revision(log_action=True)


def _prefill_numbers(study: Study, record: StudyRecord) -> None:
    """Pre-fill arms, results and comparisons, unconfirmed, from the registry or the abstract."""
    if study.arms.exists() or study.results.exists() or study.comparisons.exists():
        return
    if record.arms or record.results or record.comparisons:
        arms, results, comparisons = record.arms, record.results, record.comparisons
        label = "registry results"
    else:
        found = extract(
            study.source_text,
            publication_types=record.publication_types,
            mesh_terms=record.mesh_terms,
        )
        arms, results, comparisons = found.arms, found.results, found.comparisons
        label = "title and abstract (automatic extraction)"
    for order, arm in enumerate(arms):
        Arm.objects.create(
            study=study,
            sort_order=order,
            label=arm.label[:200],
            n=arm.n,
            description=arm.description,
            source_label=label,
            confirmed=False,
            **_span(arm.span),
        )
    for order, result in enumerate(results):
        Result.objects.create(
            study=study,
            sort_order=order,
            arm_label=(result.arm or "")[:200],
            outcome_label=(result.outcome or "")[:300],
            timepoint=(result.timepoint or "")[:100],
            kind=result.kind.value,
            n=result.n,
            mean=result.mean,
            sd=result.sd,
            median=result.median,
            q1=result.q1,
            q3=result.q3,
            events=result.events,
            total=result.total,
            percent=result.percent,
            source_quote=result.printed[:300],
            source_label=label,
            confirmed=False,
            **_span(result.span),
        )
    for order, comparison in enumerate(comparisons):
        arms_compared = [*comparison.arms, "", ""]
        Comparison.objects.create(
            study=study,
            sort_order=order,
            outcome_label=(comparison.outcome or "")[:300],
            timepoint=(comparison.timepoint or "")[:100],
            intervention_arm=arms_compared[0][:200],
            control_arm=arms_compared[1][:200],
            measure=_measure(comparison.measure),
            estimate=comparison.estimate,
            ci_lower=comparison.ci_lower,
            ci_upper=comparison.ci_upper,
            p_value=comparison.p_value,
            p_relation=comparison.p_relation or "",
            source_quote=comparison.printed[:300],
            source_label=label,
            confirmed=False,
            **_span(comparison.span),
        )


def _measure(measure: str | None) -> str:
    known = {choice.value for choice in Comparison.Measure}
    return measure if measure in known else ""


def _span(span: Any) -> dict[str, int | None]:
    """Spans index :attr:`Study.source_text`, the text the extractor read."""
    if span is None:
        return {"span_start": None, "span_end": None}
    return {"span_start": span.start, "span_end": span.end}


def _withdraw(record: StudyRecord, batch: ImportBatch) -> None:
    """A MEDLINE ``DeleteCitation``: mark the stored study withdrawn; delete nothing."""
    study = Study.objects.filter(pmid=record.pmid).first() if record.pmid else None
    if study is None or study.withdrawn:
        batch.unchanged += 1
        return
    study.withdrawn = True
    study.save(update_fields=["withdrawn"])
    batch.withdrawn += 1


def record_import(record: StudyRecord, *, batch: ImportBatch) -> None:
    """Import one record into the study it belongs to (or a new draft study)."""
    if record.deleted:
        _withdraw(record, batch)
        return
    incoming = study_fields_from_record(record)
    if not incoming.get("title"):
        raise ValueError("title: the record has no title")
    key = record_key(record)
    content = {"fields": incoming, "record": record.to_json()}
    digest = _content_hash(content)
    source_record = SourceRecord.objects.filter(source=record.source, source_key=key).first()
    if source_record is not None and source_record.content_hash == digest:
        batch.unchanged += 1
        return
    study = source_record.study if source_record else None
    how = "source"
    conflicts: dict[str, tuple[Any, Any]] = {}
    if study is None:
        study, how = study_match(incoming)
    if study is None:
        study = Study(live=False, has_unpublished_changes=True, source=record.source)
        for name, value in incoming.items():
            setattr(study, name, value)
        study.status = incoming.get("status") or Status.COMPLETED.value
        study.design = incoming.get("design") or "other"
        study.save()
        _prefill_numbers(study, record)
        batch.created += 1
    else:
        previous = source_record.data["fields"] if source_record else None
        updates, conflicts = _plan_changes(study=study, incoming=incoming, previous=previous)
        _status_update(study, record, updates)
        if updates:
            _write(study, updates)
        if source_record is None:
            batch.linked += how != "source"
            batch.updated += bool(updates)
            batch.unchanged += not updates
        else:
            batch.updated += 1
    if source_record is None:
        source_record = SourceRecord.objects.create(
            source=record.source,
            source_key=key,
            study=study,
            data=content,
            content_hash=digest,
            batch=batch,
        )
    else:
        SourceRecordVersion.objects.create(
            record=source_record,
            data=source_record.data,
            content_hash=source_record.content_hash,
            imported_at=source_record.imported_at,
        )
        source_record.data, source_record.content_hash, source_record.batch = content, digest, batch
        source_record.save()
    for name, (current, value) in conflicts.items():
        ImportConflict.objects.get_or_create(
            study=study,
            record=source_record,
            field=name,
            resolved=False,
            defaults={"current_value": current, "incoming_value": value},
        )
        batch.conflicts += 1
    study_identifiers_sync(study)


def quarantine(error: RecordError, *, batch: ImportBatch) -> QuarantinedRecord:
    """Keep a record that could not be read, with where it was and why."""
    batch.errors += 1
    return QuarantinedRecord.objects.create(
        batch=batch,
        file=error.source[:500],
        record_number=error.record_number,
        record_id=(error.record_id or "")[:200],
        field=error.field[:100],
        message=error.message,
        raw=error.raw[:20000],
    )


def batch_start(*, source: str, origin: str, user: AbstractBaseUser | None = None) -> ImportBatch:
    """Open a new import batch (and index identifiers of studies made outside imports)."""
    identifier_index_backfill()
    return ImportBatch.objects.create(source=source, origin=origin[:500], started_by=user)


@contextmanager
def _search_index_deferred() -> Iterator[None]:
    """Index imported studies in bulk at the end of a batch instead of once per save.

    The per-save signal handler is disconnected for the batch (studies only) and
    every study touched meanwhile is indexed afterwards, also when the batch fails.
    """
    started = timezone.now()
    connected = post_save.disconnect(post_save_signal_handler, sender=Study)
    try:
        yield
    finally:
        if connected:
            post_save.connect(post_save_signal_handler, sender=Study)
        touched = list(
            Study.objects.filter(updated_at__gte=started)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(touched), 500):
            chunk = list(Study.objects.filter(pk__in=touched[start : start + 500]))
            for backend in get_search_backends():
                backend.add_bulk(Study, chunk)


def batch_import(
    records: Iterable[StudyRecord | RecordError],
    *,
    batch: ImportBatch,
    progress: ProgressCallback | None = None,
) -> ImportBatch:
    """Import a stream of parsed records; each in its own transaction, errors quarantined.

    A crash half-way loses nothing already committed; running the same input
    again skips what was imported (unchanged) and completes the rest.
    """
    with _search_index_deferred():
        _import_each(records, batch=batch, progress=progress)
    return batch


def _import_each(
    records: Iterable[StudyRecord | RecordError],
    *,
    batch: ImportBatch,
    progress: ProgressCallback | None,
) -> None:
    """Commit every :data:`COMMIT_EVERY` records; each record in its own savepoint.

    A bad record rolls back only its own savepoint; a crash loses at most the
    records since the last commit, which a re-run imports (the rest are unchanged).
    """
    iterator = iter(records)
    while True:
        with transaction.atomic():
            chunk = 0
            for item in iterator:
                _import_one(item, batch=batch)
                chunk += 1
                if progress is not None:
                    progress(batch)
                if chunk == COMMIT_EVERY:
                    break
            batch.save()
        if chunk < COMMIT_EVERY:
            return


def _import_one(item: StudyRecord | RecordError, *, batch: ImportBatch) -> None:
    if isinstance(item, RecordError):
        quarantine(item, batch=batch)
        return
    try:
        with transaction.atomic():
            record_import(item, batch=batch)
    except (ValueError, TypeError) as exc:
        field, _, message = str(exc).partition(": ")
        quarantine(
            RecordError(
                source=item.extra.get("file", item.source),
                record_number=item.record_number,
                record_id=record_key(item),
                field=field if message else "record",
                message=message or str(exc),
            ),
            batch=batch,
        )


def batch_finish(batch: ImportBatch, *, failed: str = "") -> ImportBatch:
    """Close a batch as completed, or as failed with the reason."""
    batch.state = ImportBatch.State.FAILED if failed else ImportBatch.State.COMPLETED
    batch.message = failed
    batch.finished_at = timezone.now()
    batch.save()
    return batch
