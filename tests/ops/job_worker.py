"""Running django-tasks-db's worker inside a test, as ``manage.py db_worker --batch`` does."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker


def run_worker() -> None:
    """Work the database queue until it is empty, without installing signal handlers."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
