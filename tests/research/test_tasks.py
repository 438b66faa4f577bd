"""Synthesis refresh as a job: at once under the immediate backend, by the worker otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from acuevidence.ops.models import Job
from acuevidence.research.models import ConditionSynthesis
from acuevidence.research.services import study_publish
from tests.ops.job_worker import run_worker
from tests.research.demo_data import demo_entries, load

REFRESH = "acuevidence.research.tasks.syntheses_refresh_task"


def nausea_versions() -> list[int]:
    synthesis = ConditionSynthesis.objects.filter(
        condition__slug="postoperative-nausea-vomiting", outcome__slug="ponv-incidence"
    ).first()
    return [v.k for v in synthesis.versions.order_by("number")] if synthesis else []


@pytest.mark.django_db
def test_publishing_refreshes_the_synthesis_at_once_under_the_immediate_backend(
    vocab: None, editor: Any
) -> None:
    first, second = load(demo_entries("lee2004-")[:2], editor=editor, publish=False)

    study_publish(study=first, reviewer=editor)
    study_publish(study=second, reviewer=editor)

    assert nausea_versions() == [2]
    jobs = Job.objects.filter(task_path=REFRESH).order_by("pk")
    assert [(j.status, j.result) for j in jobs] == [
        (Job.Status.SUCCEEDED, 0),  # one study is not a synthesis
        (Job.Status.SUCCEEDED, 1),
    ]
    assert jobs[1].args == [second.pk, f"Published: {second}"]


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_refreshes_after_the_publish_commits(
    settings: Any, vocab: None, editor: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first, second = load(demo_entries("lee2004-")[:2], editor=editor, publish=False)

    study_publish(study=first, reviewer=editor)
    study_publish(study=second, reviewer=editor)
    assert nausea_versions() == []  # queued, not yet run
    assert Job.objects.filter(task_path=REFRESH, status=Job.Status.QUEUED).count() == 2

    run_worker()

    assert nausea_versions() == [2]
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.SUCCEEDED}
