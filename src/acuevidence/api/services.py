"""Writes made through the API: editors' import requests.

An import request is stored first and handed to the import pipeline
(``acuevidence.ingest.requests``) after the transaction commits; the pipeline
runs it as a background task and records the outcome on the request.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from acuevidence.api.models import ImportRequest
from acuevidence.ingest.requests import import_request_process

IMPORT_EXTENSIONS = frozenset({".xml", ".txt", ".nbib", ".ris", ".json", ".csv"})
MAX_IMPORT_BYTES = 20 * 1024 * 1024
_PMID = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.IGNORECASE)
_NCT = re.compile(r"^(NCT\d{8})$", re.IGNORECASE)


class ImportRejected(ValueError):
    """The submission cannot be queued; the message says why."""


def identifier_parse(identifier: str) -> tuple[str, str]:
    """(kind, normalized id) for a PMID ("12345678", "PMID: 123") or an NCT id."""
    text = identifier.strip()
    if match := _PMID.match(text):
        return ImportRequest.Kind.PMID, match.group(1)
    if match := _NCT.match(text):
        return ImportRequest.Kind.NCT, match.group(1).upper()
    raise ImportRejected(
        f"{identifier!r} is neither a PubMed id (digits) nor a ClinicalTrials.gov id (NCT + 8 digits)."
    )


def import_request_submit_identifier(*, identifier: str, user: AbstractBaseUser) -> ImportRequest:
    """Queue the import of one study by PMID or NCT id."""
    kind, normalized = identifier_parse(identifier)
    request = ImportRequest.objects.create(kind=kind, identifier=normalized, submitted_by=user)
    _dispatch(request)
    return request


def import_request_submit_file(*, upload: UploadedFile, user: AbstractBaseUser) -> ImportRequest:
    """Queue the import of a PubMed XML, MEDLINE, RIS, ClinicalTrials.gov JSON or CSV file."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in IMPORT_EXTENSIONS:
        allowed = ", ".join(sorted(IMPORT_EXTENSIONS))
        raise ImportRejected(f"{name or 'the file'}: unsupported type (allowed: {allowed}).")
    if not upload.size:
        raise ImportRejected(f"{name}: the file is empty.")
    if upload.size > MAX_IMPORT_BYTES:
        raise ImportRejected(f"{name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    request = ImportRequest(kind=ImportRequest.Kind.FILE, original_filename=name, submitted_by=user)
    request.file.save(name, upload, save=False)
    request.save()
    _dispatch(request)
    return request


def _dispatch(request: ImportRequest) -> None:
    """Hand the request to the import pipeline once the request row is committed."""
    transaction.on_commit(lambda: import_request_process(request.pk))
