"""The router against a real PostgreSQL streaming replica made on loopback by the test.

The standby's WAL replay is paused, so it lags behind the primary on purpose: a reader
then cannot see a study just published (proving reads go to the replica), while the
editor who just wrote (pin cookie) sees it at once (read your own writes); after replay
resumes the reader sees it too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

# django_db: pytest-django then creates the test database whose schema pg_pair copies.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_reads_go_to_the_replica_and_editors_read_their_own_writes(
    pg_pair: dict[str, Any], tmp_path: Path
) -> None:
    primary, standby, name = pg_pair["primary"], pg_pair["standby"], pg_pair["database"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acuevidence.config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": primary.url(name),
        "DATABASE_REPLICA_URL": standby.url(name),
        "STANDBY_URL": standby.url(name),
        "ACUEVIDENCE_PAGE_CACHE_SECONDS": "0",
        "ACUEVIDENCE_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.ops.scenarios.replica_publish"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["editor_login"] == 302
    assert seen["editor_after_publish"] == 200
    assert seen["reader_while_replica_paused"] == 404
    assert seen["reader_after_replay"] == 200
    assert standby.psql("SELECT pg_is_in_recovery()", name) == "t"
