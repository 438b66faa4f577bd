"""An import request whose job keeps failing ends "failed" with a message, not "processing"."""

from __future__ import annotations

from typing import Any

import pytest

from acuevidence.api.models import ImportRequest
from acuevidence.ingest.requests import import_request_process
from acuevidence.ops.models import Job

pytestmark = pytest.mark.django_db


def test_an_upload_lost_from_storage_is_retried_then_fails_the_request(
    settings: Any, tmp_path: Any, editor: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    request = ImportRequest.objects.create(
        kind="file",
        original_filename="trials.ris",
        file="imports/2026/01/trials.ris",  # never written
        submitted_by=editor,
    )

    import_request_process(request.pk)

    request.refresh_from_db()
    job = Job.objects.get(task_path="acuevidence.ingest.requests.import_request_task")
    assert (job.status, job.attempts) == (Job.Status.FAILED, 5)
    assert request.state == ImportRequest.State.FAILED
    assert "after 5 attempt(s) (FileNotFoundError" in request.message
