"""Tasks for the job tests, at module level so that the database worker can import them.

``CALLS`` counts the runs of each task by key: the worker runs in the test's process,
so a task can fail its first runs and succeed later without mocking anything.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.models import Group

from acuevidence.ops.jobs import RetryPolicy, retrying_task
from acuevidence.ops.models import Job

CALLS: Counter[str] = Counter()
gave_up: list[tuple[int, str]] = []

# No waiting between attempts, so a batch worker runs them all in one go.
AT_ONCE = RetryPolicy(max_attempts=3, first_delay=dt.timedelta(0), max_delay=dt.timedelta(0))
PATIENT = RetryPolicy(max_attempts=3, first_delay=dt.timedelta(hours=1))


class PermanentError(ValueError):
    pass


def _remember_give_up(job: Job, error: BaseException) -> None:
    gave_up.append((job.pk, str(error)))


@retrying_task(policy=AT_ONCE)
def flaky(key: str, failures: int) -> str:
    """Fail the first ``failures`` runs for ``key``, then succeed."""
    CALLS[key] += 1
    if CALLS[key] <= failures:
        raise ConnectionError(f"run {CALLS[key]}: the server hung up")
    return f"done on run {CALLS[key]}"


@retrying_task(policy=AT_ONCE, on_give_up=_remember_give_up)
def broken(key: str) -> None:
    CALLS[key] += 1
    raise RuntimeError(f"{key} is broken (run {CALLS[key]})")


@retrying_task(policy=RetryPolicy(max_attempts=3, give_up_on=(PermanentError,)))
def refused(key: str) -> None:
    CALLS[key] += 1
    raise PermanentError("the address does not exist")


@retrying_task(policy=PATIENT)
def slow_to_recover(key: str) -> None:
    CALLS[key] += 1
    raise ConnectionError("down for maintenance")


@retrying_task(policy=AT_ONCE)
def writes_then_fails(name: str) -> None:
    """Create a group, then fail: the attempt's write must not survive it."""
    Group.objects.create(name=name)
    raise RuntimeError("failed after writing")
