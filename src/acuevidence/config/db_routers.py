"""Read replicas: reads go to ``replica`` when it is configured, writes to ``default``.

``DATABASE_REPLICA_URL`` adds the ``replica`` alias (a PostgreSQL streaming standby, or
a load balancer in front of several). Replication is asynchronous, so a reader who has
just written must not be sent to a replica that may not have the change yet. The
router therefore *pins* to the primary:

- for the rest of a request (or a management command, or a task) once anything has been
  written in it;
- for whole requests that may write (POST, PUT, PATCH, DELETE) or that editors use
  (``ACUEVIDENCE_PRIMARY_PATHS``, the admin);
- for ``ACUEVIDENCE_REPLICA_PIN_SECONDS`` after a request that wrote, through a cookie, so
  the page an editor is redirected to after publishing shows what was just published.

:class:`acuevidence.ops.middleware.ReplicaPinningMiddleware` resets the pin per request
and sets the cookie. Migrations run on ``default`` only; the replica follows by
replication.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"

_pinned: ContextVar[bool] = ContextVar("acuevidence_db_pinned", default=False)


def pin_to_primary() -> None:
    """Send every later read in this request (or command) to the primary."""
    _pinned.set(True)


def pinned_to_primary() -> bool:
    return _pinned.get()


def unpin() -> None:
    """Forget the pin (start of a new request)."""
    _pinned.set(False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    """Database router: reads to the replica unless pinned, everything else to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if replica_configured() and not pinned_to_primary():
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: type, **hints: Any) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: objects read from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY
