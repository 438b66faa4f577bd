"""Fixtures for the operations tests: a clean cache, throw-away PostgreSQL clusters."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ops import pgcluster


@pytest.fixture(autouse=True)
def clear_cache() -> Iterator[None]:
    """Each test starts and ends with an empty cache (page cache, rate counters)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def postgres_test_database(django_db_setup: None, django_db_blocker: Any) -> str:
    """URL of pytest-django's PostgreSQL test database (migrated); skips on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL test pass (DATABASE_URL=postgres://...)")
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.fixture(scope="session")
def pg_pair(postgres_test_database: str) -> Iterator[dict[str, Any]]:
    """A throw-away primary holding the site's schema and a streaming standby of it.

    The schema (after every migration) is copied from the test database with
    pg_dump/pg_restore: running the migrations again would take a minute.
    """
    reason = pgcluster.missing_reason()
    if reason:
        pytest.skip(reason)
    # Not under pytest's tmp_path: that is private to this user, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="acuevidence-pg-"))
    root.chmod(0o755)
    primary = pgcluster.primary_create(root)
    standby = None
    try:
        primary.psql("CREATE DATABASE acuevidence")
        pgcluster.copy_database(postgres_test_database, primary.url("acuevidence"), root)
        standby = pgcluster.standby_create(primary, root)
        yield {"primary": primary, "standby": standby, "database": "acuevidence"}
    finally:
        for cluster in (standby, primary):
            if cluster is not None:
                with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                    cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
