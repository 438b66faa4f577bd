"""Health endpoints and the benchmark's minimal view."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.ops.pgcluster import free_port


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    # No django_db mark: any query would raise "Database access not allowed".
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_and_cache_ok(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"database:default": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_with_the_failure_when_the_cache_is_unreachable(client: Client) -> None:
    dead_redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    with override_settings(CACHES=dead_redis):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database:default"] == "ok"
    assert "ConnectionError" in body["checks"]["cache"]


def test_ping_is_a_tiny_plain_response(client: Client) -> None:
    response = client.get("/ops/ping")
    assert response.status_code == 200
    assert response.content == b"pong\n"
