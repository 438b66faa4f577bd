"""Background jobs: django-tasks tasks that are retried, with a history staff can read.

django-tasks (0.12) and its database backend run a task once: when it raises, the
result is "failed" and nothing tries again. Most of our failures are passing ones (the
mail server restarts, a deadlock, a worker killed by a deploy), and should not need a
person; the rest should be visible to one. A task declared with :func:`retrying_task`
instead of django-tasks' ``@task``::

    @retrying_task()
    def email_send_task(*, subject: str, body: str, to: list[str]) -> int: ...

    email_send_task.enqueue(subject=..., body=..., to=[...])   # the usual call

is a real django-tasks :class:`~django_tasks.base.Task` (the database worker imports and
runs it like any other) with two additions:

- ``enqueue`` first records a :class:`~acuevidence.ops.models.Job` and passes its id to
  the backend with the task's arguments;
- ``call``, which every backend uses to run a task, records each attempt
  (:class:`~acuevidence.ops.models.JobAttempt`, with the error and traceback) and, when
  the attempt fails and the :class:`RetryPolicy` allows, queues the next attempt with
  ``run_after`` (exponential back-off). After the last attempt the job stays "failed",
  listed under Reports > Background jobs, where staff may start it again.

The immediate backend (the demo, the tests) cannot defer work: there the next attempt
runs at once, in the same process and without waiting, so a failing job never holds
up the request that queued it for longer than its attempts take.

Enqueueing happens in the caller's transaction. With the database backend the job is
committed, or rolled back, together with the change that asked for it: no e-mail for a
sign-up that was rolled back, no lost synthesis refresh for a publish that was
committed, and a worker never sees the job before the data it needs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from traceback import format_exception
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TaskResult
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task
from django_tasks.utils import normalize_json

from acuevidence.ops.models import Job, JobAttempt

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

#: The keyword argument that carries the job's id through the backend to ``call``.
JOB_KWARG = "_job_id"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times a job is tried, and how long to wait between attempts.

    The wait grows by ``factor`` after each failure, from ``first_delay`` up to
    ``max_delay``: with the defaults 30 s, 2 min, 8 min and 32 min, about 40 minutes
    from the first failure to giving up. That rides out a restart of the mail server
    or a database fail-over, and tells staff of a real fault within the hour.

    Errors that are instances of ``retry_on`` are retried unless they are also
    instances of ``give_up_on`` (a refused recipient will be refused again).
    Interruptions (``KeyboardInterrupt``, ``SystemExit``) are not retried: the job is
    marked failed and staff can start it again.
    """

    max_attempts: int = 5
    first_delay: dt.timedelta = dt.timedelta(seconds=30)
    factor: float = 4.0
    max_delay: dt.timedelta = dt.timedelta(hours=1)
    retry_on: tuple[type[BaseException], ...] = (Exception,)
    give_up_on: tuple[type[BaseException], ...] = ()

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {self.max_attempts}")
        if self.factor < 1:
            raise ValueError(f"factor must be at least 1, not {self.factor}")
        if self.first_delay < dt.timedelta(0) or self.max_delay < self.first_delay:
            raise ValueError("delays must satisfy 0 <= first_delay <= max_delay")

    def delay_after(self, attempt: int) -> dt.timedelta:
        """The wait after failed attempt number ``attempt`` (1 for the first) before the next."""
        # Capping the exponent keeps the float finite for absurd attempt numbers.
        seconds = self.first_delay.total_seconds() * self.factor ** min(attempt - 1, 64)
        return dt.timedelta(seconds=min(seconds, self.max_delay.total_seconds()))

    def should_retry(self, error: BaseException, *, attempt: int, max_attempts: int) -> bool:
        """Whether attempt number ``attempt``, which raised ``error``, deserves another."""
        return (
            attempt < max_attempts
            and isinstance(error, self.retry_on)
            and not isinstance(error, self.give_up_on)
        )


DEFAULT_POLICY = RetryPolicy()

#: Called once when a job has failed for good (e.g. to tell the person who asked for it).
GiveUpHook = Callable[[Job, BaseException], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryingTask(Task[P, T]):
    """A django-tasks task that records its attempts and retries failures; see the module."""

    policy: RetryPolicy = DEFAULT_POLICY
    on_give_up: GiveUpHook | None = None

    # The base class is a slotted dataclass: zero-argument super() does not work in its
    # subclasses' methods, hence the explicit ``Task.call(self, ...)`` below.

    def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> TaskResult[T]:
        """Record a job for these arguments and queue its first attempt."""
        return self.enqueue_attempt(self._job_create(args, kwargs))

    async def aenqueue(self, *args: P.args, **kwargs: P.kwargs) -> TaskResult[T]:
        """:meth:`enqueue` from async code (the job row is written in a thread)."""
        return await sync_to_async(self.enqueue, thread_sensitive=True)(*args, **kwargs)

    def enqueue_job(self, *args: P.args, **kwargs: P.kwargs) -> Job:
        """Like :meth:`enqueue`, but return the job (already run under the immediate backend)."""
        job = self._job_create(args, kwargs)
        self.enqueue_attempt(job)
        job.refresh_from_db()
        return job

    def _job_create(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Job:
        return Job.objects.create(
            task_path=self.module_path,
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            backend=self.backend,
            max_attempts=self.policy.max_attempts,
        )

    def enqueue_attempt(self, job: Job, *, run_after: dt.datetime | None = None) -> TaskResult[T]:
        """Queue one attempt of ``job`` (at ``run_after`` where the backend can defer)."""
        backend = self.get_backend()
        task = self.using(run_after=run_after) if run_after and backend.supports_defer else self
        return backend.enqueue(task, job.args, {**job.kwargs, JOB_KWARG: job.pk})

    def call(self, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run the task: as one attempt of its job when queued, plainly when called directly."""
        job_id = kwargs.pop(JOB_KWARG, None)
        if job_id is None:
            return Task.call(self, *args, **kwargs)
        return _run(self, int(job_id), args, kwargs)  # type: ignore[arg-type]


def retrying_task(
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    on_give_up: GiveUpHook | None = None,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
) -> Callable[[Callable[P, T]], RetryingTask[P, T]]:
    """Declare a module-level function as a :class:`RetryingTask` (like ``@task()``)."""

    def wrap(func: Callable[P, T]) -> RetryingTask[P, T]:
        return RetryingTask(
            func=func,
            policy=policy,
            on_give_up=on_give_up,
            priority=priority,
            queue_name=queue_name,
            backend=backend,
            run_after=None,
            takes_context=False,
        )

    return wrap


# --- Running one attempt ----------------------------------------------------------------


def _run(task: RetryingTask[..., T], job_id: int, args: tuple, kwargs: dict[str, Any]) -> T:
    in_process = not task.get_backend().supports_defer
    while True:
        attempt = _attempt_start(job_id)
        try:
            with _isolated():
                value = Task.call(task, *args, **kwargs)
            result = normalize_json(value)  # what the backend will store; may raise TypeError
        except BaseException as error:
            job = _attempt_fail(task, attempt, error, in_process=in_process)
            if job.status == Job.Status.RETRYING and in_process:
                continue  # the immediate backend: the next attempt, now
            if job.status == Job.Status.FAILED and task.on_give_up is not None:
                _give_up(task.on_give_up, job, error)
            raise
        _attempt_succeed(attempt, result)
        return value


def _isolated() -> AbstractContextManager[Any]:
    """A savepoint when the caller holds a transaction (the immediate backend, in a request).

    A failed attempt then rolls back only its own writes, and leaves the connection
    usable for recording the failure (PostgreSQL refuses every statement in a
    transaction after an error). A worker runs each attempt outside any transaction and
    the task decides its own.
    """
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


@transaction.atomic
def _attempt_start(job_id: int) -> JobAttempt:
    now = timezone.now()
    job = Job.objects.select_for_update().get(pk=job_id)
    job.attempts += 1
    job.status = Job.Status.RUNNING
    job.started_at = now
    job.finished_at = None
    job.next_attempt_at = None
    job.save(update_fields=["attempts", "status", "started_at", "finished_at", "next_attempt_at"])
    return JobAttempt.objects.create(job=job, number=job.attempts, started_at=now)


@transaction.atomic
def _attempt_succeed(attempt: JobAttempt, result: Any) -> None:
    now = timezone.now()
    attempt.outcome = JobAttempt.Outcome.SUCCEEDED
    attempt.finished_at = now
    attempt.save(update_fields=["outcome", "finished_at"])
    Job.objects.filter(pk=attempt.job_id).update(
        status=Job.Status.SUCCEEDED, finished_at=now, next_attempt_at=None, result=result
    )


@transaction.atomic
def _attempt_fail(
    task: RetryingTask[..., Any], attempt: JobAttempt, error: BaseException, *, in_process: bool
) -> Job:
    """Record the failed attempt; queue the next one, or mark the job failed for good.

    Recording and queueing share a transaction, so a crash between them cannot leave
    a job that says "will retry" with no attempt queued.
    """
    now = timezone.now()
    attempt.outcome = JobAttempt.Outcome.FAILED
    attempt.finished_at = now
    attempt.error = describe(error)
    attempt.traceback = "".join(format_exception(error))
    attempt.save(update_fields=["outcome", "finished_at", "error", "traceback"])
    job = Job.objects.select_for_update().get(pk=attempt.job_id)
    job.last_error = attempt.error
    if task.policy.should_retry(error, attempt=job.attempts, max_attempts=job.max_attempts):
        job.status = Job.Status.RETRYING
        job.next_attempt_at = None if in_process else now + task.policy.delay_after(job.attempts)
        logger.warning(
            "job %s (%s) attempt %d of %d failed, retrying%s: %s",
            job.pk,
            job.task_name,
            job.attempts,
            job.max_attempts,
            "" if in_process else f" at {job.next_attempt_at:%Y-%m-%d %H:%M:%S}",
            job.last_error,
        )
    else:
        job.status = Job.Status.FAILED
        job.finished_at = now
        job.next_attempt_at = None
        logger.error(
            "job %s (%s) failed after %d attempt(s): %s",
            job.pk,
            job.task_name,
            job.attempts,
            job.last_error,
        )
    job.save(update_fields=["status", "last_error", "next_attempt_at", "finished_at"])
    if job.status == Job.Status.RETRYING and not in_process:
        task.enqueue_attempt(job, run_after=job.next_attempt_at)
    return job


def _give_up(hook: GiveUpHook, job: Job, error: BaseException) -> None:
    # The job's failure is already recorded; a failing hook must not hide it.
    try:
        with _isolated():
            hook(job, error)
    except Exception:
        logger.exception("job %s: the give-up hook %r failed", job.pk, hook)


def describe(error: BaseException) -> str:
    """``ClassName: message``, one line of at most 500 characters, for lists and logs."""
    message = " ".join(str(error).split())
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= 500 else text[:499] + "…"


# --- Staff and operator actions ---------------------------------------------------------


class JobNotRetryable(ValueError):
    """Staff asked to start a job again that cannot be (the message says why)."""


def task_at(path: str) -> RetryingTask[..., Any]:
    """The retrying task at a dotted path; :class:`LookupError` if there is none."""
    try:
        task = import_string(path)
    except ImportError:
        raise LookupError(f"the task {path} no longer exists") from None
    if not isinstance(task, RetryingTask):
        raise LookupError(f"{path} is not a retrying task (see acuevidence.ops.jobs)")
    return task


def job_retry(*, job: Job, user: AbstractBaseUser | None) -> Job:
    """Start a failed (or abandoned) job again, with a fresh allowance of attempts.

    Its history stays: attempt numbers continue from the last one. Under the immediate
    backend the job runs before this returns.
    """
    try:
        task = task_at(job.task_path)
    except LookupError as exc:
        raise JobNotRetryable(str(exc)) from None
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not locked.is_retryable:
            raise JobNotRetryable(
                f"job #{locked.pk} is {locked.get_status_display().lower()}; only failed "
                "jobs, or jobs running for over an hour, can be started again"
            )
        locked.status = Job.Status.QUEUED
        locked.max_attempts = locked.attempts + task.policy.max_attempts
        locked.finished_at = None
        locked.next_attempt_at = None
        locked.retried_by = user if user is not None and user.pk else None
        locked.retried_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "max_attempts",
                "finished_at",
                "next_attempt_at",
                "retried_by",
                "retried_at",
            ]
        )
        task.enqueue_attempt(locked)
    locked.refresh_from_db()
    return locked


def jobs_prune(*, succeeded_before: dt.datetime, failed_before: dt.datetime) -> int:
    """Delete finished jobs (and their attempts) older than the given times; their count.

    Jobs carry their arguments (an e-mail's text, an address), so they are not kept for
    ever; failed ones are usually kept longer, for staff to look into.
    """
    old = Job.objects.filter(
        status=Job.Status.SUCCEEDED, finished_at__lt=succeeded_before
    ) | Job.objects.filter(status=Job.Status.FAILED, finished_at__lt=failed_before)
    _, by_model = old.delete()
    return by_model.get(Job._meta.label, 0)
