"""Background jobs: the retry policy, attempts recorded, both backends, staff actions.

The database-backend tests run django-tasks-db's own worker (its ``Worker`` class, in
batch mode: run what is ready, then stop) in this process, against the test database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from acuevidence.ops.jobs import (
    DEFAULT_POLICY,
    JobNotRetryable,
    RetryPolicy,
    describe,
    job_retry,
    jobs_prune,
)
from acuevidence.ops.models import Job
from tests.ops import sample_jobs
from tests.ops.job_worker import run_worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    sample_jobs.CALLS.clear()
    sample_jobs.gave_up.clear()
    yield
    sample_jobs.CALLS.clear()
    sample_jobs.gave_up.clear()


@pytest.fixture
def database_queue(settings: Any) -> None:
    """Queue tasks in the database, as production does (ACUEVIDENCE_TASKS=database)."""
    settings.TASKS = DATABASE_TASKS


def attempt_history(job: Job) -> list[tuple[int, str, str]]:
    return [(a.number, a.outcome, a.error) for a in job.attempt_log.order_by("number")]


# --- The policy ------------------------------------------------------------------------


def test_the_wait_grows_fourfold_from_30_seconds_and_stops_at_an_hour() -> None:
    waits = [DEFAULT_POLICY.delay_after(n) for n in range(1, 7)]
    assert waits == [
        dt.timedelta(seconds=30),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=8),
        dt.timedelta(minutes=32),
        dt.timedelta(hours=1),
        dt.timedelta(hours=1),
    ]
    assert DEFAULT_POLICY.delay_after(10_000) == dt.timedelta(hours=1)


def test_the_policy_retries_until_the_last_attempt_and_never_a_permanent_error() -> None:
    policy = RetryPolicy(max_attempts=3, give_up_on=(PermissionError,))
    error = ConnectionError("reset")
    assert policy.should_retry(error, attempt=1, max_attempts=3)
    assert policy.should_retry(error, attempt=2, max_attempts=3)
    assert not policy.should_retry(error, attempt=3, max_attempts=3)
    assert not policy.should_retry(PermissionError("no"), attempt=1, max_attempts=3)
    assert not policy.should_retry(KeyboardInterrupt(), attempt=1, max_attempts=3)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"factor": 0.5},
        {"first_delay": dt.timedelta(seconds=-1)},
        {"first_delay": dt.timedelta(hours=2), "max_delay": dt.timedelta(hours=1)},
    ],
)
def test_a_policy_that_makes_no_sense_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


def test_an_error_is_described_on_one_short_line() -> None:
    assert describe(ConnectionError("the server\n  hung up")) == (
        "ConnectionError: the server hung up"
    )
    assert describe(RuntimeError()) == "RuntimeError"
    assert len(describe(ValueError("x" * 2000))) == 500


# --- The immediate backend (demo, tests) ------------------------------------------------


@pytest.mark.django_db
def test_immediately_a_failing_job_is_tried_again_at_once_and_succeeds() -> None:
    result = sample_jobs.flaky.enqueue("mail", 2)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "done on run 3"
    job = Job.objects.get()
    assert (job.status, job.attempts, job.max_attempts) == (Job.Status.SUCCEEDED, 3, 3)
    assert job.result == "done on run 3"
    assert job.task_path == "tests.ops.sample_jobs.flaky"
    assert job.args == ["mail", 2]
    assert attempt_history(job) == [
        (1, "failed", "ConnectionError: run 1: the server hung up"),
        (2, "failed", "ConnectionError: run 2: the server hung up"),
        (3, "succeeded", ""),
    ]
    assert "raise ConnectionError" in job.attempt_log.get(number=1).traceback


@pytest.mark.django_db
def test_immediately_a_job_that_always_fails_stops_at_the_maximum_without_raising() -> None:
    result = sample_jobs.broken.enqueue("report")  # does not raise into the caller

    assert result.status == TaskResultStatus.FAILED
    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 3)
    assert job.last_error == "RuntimeError: report is broken (run 3)"
    assert job.finished_at is not None and job.next_attempt_at is None
    assert [outcome for _, outcome, _ in attempt_history(job)] == ["failed"] * 3
    assert sample_jobs.gave_up == [(job.pk, "report is broken (run 3)")]


@pytest.mark.django_db
def test_a_permanent_error_is_not_retried() -> None:
    sample_jobs.refused.enqueue("nobody@example.invalid")

    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)
    assert sample_jobs.CALLS["nobody@example.invalid"] == 1


@pytest.mark.django_db
def test_a_failed_attempt_rolls_back_its_own_writes_and_the_failure_is_still_recorded() -> None:
    sample_jobs.writes_then_fails.enqueue("Half-done")

    assert not Group.objects.filter(name="Half-done").exists()
    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 3)


@pytest.mark.django_db
def test_calling_the_task_directly_runs_the_function_and_records_no_job() -> None:
    assert sample_jobs.flaky.call("direct", 0) == "done on run 1"
    assert not Job.objects.exists()


# --- The database backend and its worker ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_job_that_fails_twice_then_succeeds(database_queue: None) -> None:
    sample_jobs.flaky.enqueue("roster", 2)
    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.QUEUED, 0)
    assert sample_jobs.CALLS["roster"] == 0  # queued, not run

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (Job.Status.SUCCEEDED, 3, "done on run 3")
    assert [outcome for _, outcome, _ in attempt_history(job)] == [
        "failed",
        "failed",
        "succeeded",
    ]
    # One django-tasks result per attempt, each carrying the job's id.
    runs = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in runs] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert {r.args_kwargs["kwargs"]["_job_id"] for r in runs} == {job.pk}
    assert "the server hung up" in runs[0].traceback


@pytest.mark.django_db(transaction=True)
def test_the_worker_gives_up_after_the_maximum_and_the_job_stays_failed(
    database_queue: None,
) -> None:
    sample_jobs.broken.enqueue("expiry")

    run_worker()

    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 3)
    assert job.last_error == "RuntimeError: expiry is broken (run 3)"
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"] * 3
    assert not DBTaskResult.objects.ready().exists()
    assert sample_jobs.gave_up == [(job.pk, "expiry is broken (run 3)")]


@pytest.mark.django_db(transaction=True)
def test_the_next_attempt_waits_for_its_back_off(database_queue: None) -> None:
    before = timezone.now()
    sample_jobs.slow_to_recover.enqueue("smtp")

    run_worker()

    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.RETRYING, 1)
    assert sample_jobs.CALLS["smtp"] == 1  # the batch worker found nothing else ready
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == job.next_attempt_at
    assert (
        before + dt.timedelta(hours=1)
        <= waiting.run_after
        <= timezone.now() + dt.timedelta(hours=1)
    )


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(database_queue: None) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        sample_jobs.flaky.enqueue("rolled-back", 0)
        raise RuntimeError("the request failed")

    run_worker()

    assert not Job.objects.exists() and not DBTaskResult.objects.exists()
    assert sample_jobs.CALLS["rolled-back"] == 0


@pytest.mark.django_db(transaction=True)
def test_staff_start_a_failed_job_again_and_the_worker_runs_it(database_queue: None) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_user(username="ops-admin")
    sample_jobs.flaky.enqueue("import", 3)  # fails all its 3 attempts
    run_worker()
    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 3)

    job = job_retry(job=job, user=admin)
    assert (job.status, job.max_attempts, job.retried_by) == (Job.Status.QUEUED, 6, admin)
    run_worker()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 4)
    assert [n for n, _, _ in attempt_history(job)] == [1, 2, 3, 4]


# --- Staff actions ------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_failed_or_abandoned_jobs_can_be_started_again() -> None:
    sample_jobs.flaky.enqueue("fine", 0)
    job = Job.objects.get()
    with pytest.raises(JobNotRetryable, match="succeeded"):
        job_retry(job=job, user=None)

    job.status = Job.Status.RUNNING
    job.started_at = timezone.now() - dt.timedelta(minutes=5)
    assert not job.is_retryable  # still running, probably
    job.started_at = timezone.now() - dt.timedelta(hours=2)
    assert job.is_retryable  # its worker died


@pytest.mark.django_db
def test_a_job_whose_task_no_longer_exists_cannot_be_started_again() -> None:
    job = Job.objects.create(
        task_path="acuevidence.nowhere.gone_task",
        args_kwargs={"args": [], "kwargs": {}},
        max_attempts=1,
        status=Job.Status.FAILED,
    )
    with pytest.raises(JobNotRetryable, match="no longer exists"):
        job_retry(job=job, user=None)


@pytest.mark.django_db
def test_immediately_a_job_started_again_runs_at_once() -> None:
    sample_jobs.broken.enqueue("again")
    job = job_retry(job=Job.objects.get(), user=None)
    assert (job.status, job.attempts, job.max_attempts) == (Job.Status.FAILED, 6, 6)


@pytest.mark.django_db
def test_pruning_removes_old_finished_jobs_and_keeps_failed_ones_longer() -> None:
    sample_jobs.flaky.enqueue("old-ok", 0)
    sample_jobs.broken.enqueue("old-failed")
    sample_jobs.flaky.enqueue("new-ok", 0)
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    Job.objects.exclude(args_kwargs__args=["new-ok", 0]).update(finished_at=ten_days_ago)

    removed = jobs_prune(
        succeeded_before=timezone.now() - dt.timedelta(days=7),
        failed_before=timezone.now() - dt.timedelta(days=30),
    )

    assert removed == 1
    assert sorted(j.args[0] for j in Job.objects.all()) == ["new-ok", "old-failed"]


# --- The command line ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_jobs_command_queues_lists_and_prunes() -> None:
    out = StringIO()
    call_command(
        "jobs", "enqueue", "tests.ops.sample_jobs.broken", "--kwargs", '{"key": "cli"}', stdout=out
    )
    assert out.getvalue().strip().endswith("broken: failed")
    call_command(
        "jobs",
        "enqueue",
        "tests.ops.sample_jobs.flaky",
        "--kwargs",
        '{"key": "cli", "failures": 0}',
        stdout=out,
    )

    listing = StringIO()
    call_command("jobs", "list", "--failed", stdout=listing)
    assert "broken\tfailed\t3/3\tRuntimeError: cli is broken (run 3)" in listing.getvalue()
    assert "flaky" not in listing.getvalue()

    Job.objects.update(finished_at=timezone.now() - dt.timedelta(days=20))
    pruned = StringIO()
    call_command("jobs", "prune", "--days", "14", "--failed-days", "90", stdout=pruned)
    assert pruned.getvalue().strip() == "1 finished job(s) deleted."
    assert list(Job.objects.values_list("status", flat=True)) == [Job.Status.FAILED]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["acuevidence.nowhere.task"], "no longer exists"),
        (["acuevidence.ops.jobs.describe"], "not a retrying task"),
        (["tests.ops.sample_jobs.flaky", "--kwargs", "{key"], "not JSON"),
        (["tests.ops.sample_jobs.flaky", "--kwargs", "[1]"], "must be a JSON object"),
    ],
)
def test_the_jobs_command_names_what_it_cannot_queue(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("jobs", "enqueue", *args)
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_queueing_from_async_code_records_the_job_too() -> None:
    # A thread of its own: in a process whose browser tests hold Playwright's event loop,
    # this thread already has a running loop and cannot start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(asyncio.run, sample_jobs.flaky.aenqueue("async", 1)).result()

    assert result.status == TaskResultStatus.SUCCESSFUL
    job = Job.objects.get()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
