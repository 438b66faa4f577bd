"""Run by test_replica.py in a fresh interpreter against a real primary and streaming standby.

``DATABASE_URL`` is the primary and ``DATABASE_REPLICA_URL`` the standby; the standby's
replay is paused and resumed through ``STANDBY_URL`` to make replication lag visible.
Prints one JSON object with what each client saw.
"""

from __future__ import annotations

import json
import os
import sys
import time

import django
import psycopg


def standby(sql: str) -> None:
    with psycopg.connect(os.environ["STANDBY_URL"], autocommit=True) as conn:
        conn.execute(sql)


def wait_until_standby_has_replayed_the_primary(timeout: float = 20.0) -> None:
    """Block until the standby has replayed everything written so far (the set-up data).

    Without this, pausing replay right after the set-up could freeze the standby
    before it saw the vocabularies, and reads routed to it would miss them.
    """
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    with psycopg.connect(os.environ["STANDBY_URL"], autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)
            ).fetchone()
            if row and row[0]:
                return
            time.sleep(0.1)
    raise SystemExit(f"standby did not replay up to {target} within {timeout} s")


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from acuevidence.research.roles import REVIEWERS, roles_ensure
    from acuevidence.research.services import study_publish, study_save_curated, vocabulary_sync
    from tests.conftest import SEED_STUDY

    vocabulary_sync()
    editor = get_user_model().objects.create_user(username="editor", password="pw-123456789")
    editor.groups.add(roles_ensure()[REVIEWERS])
    url = f"/studies/{SEED_STUDY['key']}/"
    seen: dict[str, object] = {}

    wait_until_standby_has_replayed_the_primary()
    standby("SELECT pg_wal_replay_pause()")
    editor_client, reader = Client(), Client()
    login = editor_client.post("/admin/login/", {"username": "editor", "password": "pw-123456789"})
    seen["editor_login"] = login.status_code
    study, _ = study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    study_publish(study=study, reviewer=editor)

    seen["editor_after_publish"] = editor_client.get(url).status_code
    seen["reader_while_replica_paused"] = reader.get(url).status_code
    standby("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status = reader.get(url).status_code
        if status == 200:
            break
        time.sleep(0.2)
    seen["reader_after_replay"] = status
    seen["replica_lag_seconds_waited"] = round(20 - (deadline - time.monotonic()), 1)
    json.dump(seen, sys.stdout)


if __name__ == "__main__":
    main()
