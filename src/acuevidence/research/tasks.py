"""Research background jobs: recomputing condition syntheses after a study changes.

Publishing, correcting or withdrawing a study changes the pooled results it
contributes to. Recomputing them is a job so that a failure there (a numerical
corner case, a lock timeout) is retried and shown to staff instead of undoing the
editor's publish. The immediate backend (the demo, the tests) runs it at once, inside
the publishing transaction, as before; the database queue runs it once the publish
has committed.
"""

from __future__ import annotations

from django.db import transaction

from acuevidence.ops.jobs import retrying_task
from acuevidence.research.models import Study
from acuevidence.research.syntheses import syntheses_refresh_for_study


@retrying_task()
def syntheses_refresh_task(study_id: int, trigger: str) -> int:
    """Recompute every synthesis the study contributes (or contributed) to; versions made.

    A study deleted since the job was queued leaves nothing to do.
    """
    study = Study.objects.filter(pk=study_id).first()
    if study is None:
        return 0
    # One transaction: synthesis_refresh locks each synthesis row (select_for_update).
    with transaction.atomic():
        return len(syntheses_refresh_for_study(study=study, trigger=trigger))


def syntheses_refresh_enqueue(*, study: Study, trigger: str) -> None:
    """Queue the refresh for ``study`` (runs at once under the immediate backend)."""
    syntheses_refresh_task.enqueue(study.pk, trigger)
