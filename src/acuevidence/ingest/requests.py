"""Process import requests submitted through the API: a PMID, an NCT id or an uploaded file.

Each request becomes an import batch run by the same services as the command
line; the request records the outcome and the study for the submitter. The work
runs as a background job (acuevidence.ops.jobs), synchronously where the backend is
the immediate one (the demo and tests). A source that cannot be reached or read fails
the request at once, with advice (the HTTP clients have already retried); any other
error is retried by the job's policy, and the request is marked failed only when the
last attempt has failed.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.utils import timezone

from acuevidence.api.models import ImportRequest
from acuevidence.evidence.records import RecordError
from acuevidence.evidence.sources import SourceReadError, parse_file
from acuevidence.evidence.sources.ctgov_client import CtgovClient
from acuevidence.evidence.sources.eutils import EutilsClient
from acuevidence.evidence.sources.fetching import FetchError
from acuevidence.ingest import services
from acuevidence.ingest.models import ImportBatch, SourceRecord
from acuevidence.ops.jobs import describe, retrying_task
from acuevidence.ops.models import Job

FORMAT_BY_SUFFIX = {
    ".xml": "pubmed",
    ".gz": "pubmed",
    ".nbib": "medline",
    ".txt": "medline",
    ".ris": "ris",
    ".json": "ctgov",
    ".csv": "csv",
}


def file_format(name: str) -> str:
    """The parser for an uploaded file, from its suffix; ``ValueError`` names the file."""
    suffix = PurePath(name).suffix.lower()
    try:
        return FORMAT_BY_SUFFIX[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise ValueError(f"{name}: unknown file type {suffix!r}; expected one of {known}") from None


def _run(request: ImportRequest) -> ImportBatch:
    user = request.submitted_by
    if request.kind == ImportRequest.Kind.PMID:
        batch = services.batch_start(
            source="pubmed", origin=f"API PMID {request.identifier}", user=user
        )
        base = getattr(settings, "ACUEVIDENCE_EUTILS_URL", None)
        with EutilsClient(**({"base_url": base} if base else {})) as client:
            checkpoint = client.search(f"{request.identifier}[uid]")
            services.batch_import(client.fetch(checkpoint), batch=batch)
    elif request.kind == ImportRequest.Kind.NCT:
        batch = services.batch_start(source="ctgov", origin=f"API {request.identifier}", user=user)
        base = getattr(settings, "ACUEVIDENCE_CTGOV_URL", None)
        with CtgovClient(**({"base_url": base} if base else {})) as client:
            checkpoint = client.query(term=request.identifier)
            wanted = request.identifier.upper()
            records = (
                r
                for r in client.fetch(checkpoint)
                if isinstance(r, RecordError) or (r.nct_id or "").upper() == wanted
            )
            services.batch_import(records, batch=batch)
    else:
        name = request.original_filename or request.file.name
        fmt = file_format(name)
        batch = services.batch_start(source=fmt, origin=f"API upload {name}", user=user)
        with request.file.open("rb") as stream:
            services.batch_import(parse_file(fmt, stream), batch=batch)
    return services.batch_finish(batch)


def _import_request_given_up(job: Job, error: BaseException) -> None:
    """Tell the submitter: without this the request would say "processing" for ever."""
    ImportRequest.objects.filter(pk=job.args[0]).update(
        state=ImportRequest.State.FAILED,
        message=(
            f"The import failed after {job.attempts} attempt(s) ({describe(error)}). "
            "Staff have the details; submit it again later."
        ),
        updated_at=timezone.now(),
    )


@retrying_task(on_give_up=_import_request_given_up)
def import_request_task(request_id: int) -> str:
    """Run one import request and record its outcome on the request."""
    request = ImportRequest.objects.get(pk=request_id)
    request.state = ImportRequest.State.PROCESSING
    request.save(update_fields=["state", "updated_at"])
    try:
        batch = _run(request)
    except (FetchError, SourceReadError, ValueError) as exc:
        request.state = ImportRequest.State.FAILED
        request.message = f"{exc}. Check the identifier or file and submit it again."
        request.save(update_fields=["state", "message", "updated_at"])
        return request.state
    record = SourceRecord.objects.filter(batch=batch).select_related("study").first()
    request.study = record.study if record else None
    if batch.processed == 0:
        request.state = ImportRequest.State.FAILED
        request.message = "The source returned no record for this request."
    elif record is None and batch.errors:
        request.state = ImportRequest.State.FAILED
        request.message = f"{batch.errors} record(s) could not be read; see import #{batch.pk}."
    else:
        request.state = ImportRequest.State.DONE
        request.message = (
            f"Import #{batch.pk}: {batch.created} created, {batch.updated} updated, "
            f"{batch.unchanged} unchanged, {batch.errors} errors. New studies await review."
        )
    request.save(update_fields=["state", "message", "study", "updated_at"])
    return request.state


def import_request_process(request_id: int) -> None:
    """Queue an import request for processing (runs at once with the immediate backend)."""
    import_request_task.enqueue(request_id)
