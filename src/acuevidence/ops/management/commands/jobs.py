"""``acuevidence jobs enqueue|list|prune``: background jobs from the command line.

- ``enqueue TASK [--kwargs JSON]`` queues a retrying task by its dotted path; this is
  how a scheduler (cron, a systemd timer) starts periodic work such as the daily
  licence expiry, which the workers then run with retries;
- ``list [--failed] [--limit N]`` prints recent jobs, for operators without the admin;
- ``prune [--days N] [--failed-days M]`` deletes finished jobs and their attempts.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from acuevidence.ops.jobs import jobs_prune, task_at
from acuevidence.ops.models import Job


class Command(BaseCommand):
    help = "Background jobs: queue a task, list recent jobs, prune old ones."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        enqueue = sub.add_parser("enqueue", help="Queue a retrying task by its dotted path.")
        enqueue.add_argument("task", help="e.g. acuevidence.directory.tasks.licences_expire_task")
        enqueue.add_argument(
            "--kwargs", default="{}", help='keyword arguments as a JSON object, e.g. {"a": 1}'
        )
        listing = sub.add_parser("list", help="Recent jobs, newest first.")
        listing.add_argument("--failed", action="store_true", help="only jobs that failed")
        listing.add_argument("--limit", type=int, default=20)
        prune = sub.add_parser("prune", help="Delete finished jobs (run daily).")
        prune.add_argument(
            "--days", type=int, default=14, help="keep succeeded jobs this long (default 14)"
        )
        prune.add_argument(
            "--failed-days", type=int, default=90, help="keep failed jobs this long (default 90)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['subcommand']}")(options)

    def _enqueue(self, options: dict[str, Any]) -> None:
        try:
            task = task_at(options["task"])
            kwargs = json.loads(options["kwargs"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"--kwargs is not JSON: {exc}") from exc
        if not isinstance(kwargs, dict):
            raise CommandError("--kwargs must be a JSON object")
        job = task.enqueue_job(**kwargs)
        self.stdout.write(f"job #{job.pk} {task.name}: {job.get_status_display().lower()}")

    def _list(self, options: dict[str, Any]) -> None:
        jobs = Job.objects.all()
        if options["failed"]:
            jobs = jobs.filter(status=Job.Status.FAILED)
        for job in jobs[: options["limit"]]:
            self.stdout.write(
                f"#{job.pk}\t{job.enqueued_at:%Y-%m-%d %H:%M}\t{job.task_name}\t"
                f"{job.status}\t{job.attempts}/{job.max_attempts}\t{job.last_error}"
            )

    def _prune(self, options: dict[str, Any]) -> None:
        now = timezone.now()
        removed = jobs_prune(
            succeeded_before=now - dt.timedelta(days=options["days"]),
            failed_before=now - dt.timedelta(days=options["failed_days"]),
        )
        self.stdout.write(f"{removed} finished job(s) deleted.")
