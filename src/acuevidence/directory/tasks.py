"""Directory background jobs: the daily licence expiry.

``acuevidence directory expire`` runs the expiry in the foreground; this job runs the
same service on the queue, so an operator's scheduler only has to enqueue it
(``manage.py jobs enqueue acuevidence.directory.tasks.licences_expire_task``, see
docs/operations.md): a failure (the database restarting at midnight) is retried and, if
it persists, listed for staff, rather than lost in a cron mail. The service is
idempotent, so a retry after a partial failure lapses nothing twice.
"""

from __future__ import annotations

import datetime as dt

from acuevidence.directory import services
from acuevidence.ops.jobs import retrying_task


@retrying_task()
def licences_expire_task(today: str | None = None) -> int:
    """Lapse expired licences and stale verifications; the number lapsed.

    ``today`` (``YYYY-MM-DD``, for tests and catching up) defaults to the local date
    when the job runs, not when it was queued.
    """
    day = dt.date.fromisoformat(today) if today else None
    return len(services.licences_expire(today=day))
