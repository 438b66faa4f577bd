"""A real database outage under gunicorn: 503 with Retry-After, then recovery on its own.

gunicorn serves the site against the throw-away primary with persistent connections;
the test stops PostgreSQL, checks the plain 503 page (and that liveness stays up while
readiness fails), starts PostgreSQL again and waits for pages to come back without
touching gunicorn.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.ops.pgcluster import free_port, wait_until

REPO = Path(__file__).resolve().parents[2]

# django_db: pytest-django then creates the test database whose schema pg_pair copies.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def gunicorn_on_primary(pg_pair: dict[str, Any], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acuevidence.config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": pg_pair["primary"].url(pg_pair["database"]),
        "DATABASE_CONN_MAX_AGE": "60",
        "ACUEVIDENCE_PAGE_CACHE_SECONDS": "0",
        "ACUEVIDENCE_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(REPO / "src"),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "acuevidence.config.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "2", "--preload"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        # Django and Wagtail take seconds to import on a busy machine.
        assert wait_until(lambda: _status(f"{base}/healthz") == 200, timeout=90, interval=0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _status(url: str) -> int:
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.TransportError:
        return 0


def test_outage_gives_503_and_the_site_recovers_by_itself(
    gunicorn_on_primary: str, pg_pair: dict[str, Any]
) -> None:
    base, primary = gunicorn_on_primary, pg_pair["primary"]
    for _ in range(4):  # open persistent connections in both workers
        assert _status(f"{base}/studies/") == 200

    primary.stop()
    try:
        down = [httpx.get(f"{base}/studies/", timeout=10) for _ in range(4)]
        assert {r.status_code for r in down} == {503}
        assert all(r.headers["Retry-After"] == "30" for r in down)
        assert all("briefly unavailable" in r.text and "Traceback" not in r.text for r in down)
        assert _status(f"{base}/readyz") == 503
        assert _status(f"{base}/healthz") == 200
    finally:
        primary.start()

    started = time.monotonic()
    assert wait_until(lambda: _status(f"{base}/studies/") == 200, timeout=20)
    assert all(_status(f"{base}/studies/") == 200 for _ in range(6))
    assert _status(f"{base}/readyz") == 200
    assert time.monotonic() - started < 20
