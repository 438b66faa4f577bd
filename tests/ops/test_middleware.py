"""Request ids in structured logs, the database-outage page, public form rate limits."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings

from acuevidence.ops.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_log_lines() -> Iterator[list[str]]:
    """Lines the project's JSON log handler writes while the test runs."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("acuevidence")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_each_response_carries_a_new_request_id(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_proxy_request_id_is_kept_and_a_malformed_one_replaced(client: Client) -> None:
    assert client.get("/healthz", HTTP_X_REQUEST_ID="edge-1234abcd")["X-Request-ID"] == (
        "edge-1234abcd"
    )
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nSet-Cookie: x=1")
    assert replaced["X-Request-ID"] != "bad id\r\nSet-Cookie: x=1"
    assert len(replaced["X-Request-ID"]) == 32


def test_access_log_is_one_json_object_with_the_request_id(
    client: Client, json_log_lines: list[str]
) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-000111222")
    entries = [json.loads(line) for line in json_log_lines]
    access = [e for e in entries if e["logger"] == "acuevidence.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == response["X-Request-ID"] == "trace-000111222"
    assert access[0]["path"] == "/healthz"
    assert access[0]["status"] == 200
    assert access[0]["method"] == "GET"
    assert access[0]["duration_ms"] >= 0


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.ops.dead_database")
def test_a_view_losing_the_database_gets_a_503_page_not_a_traceback(
    json_log_lines: list[str],
) -> None:
    response = Client(raise_request_exception=False).get("/needs-database/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.ACUEVIDENCE_OUTAGE_RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "briefly unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page
    outage = [json.loads(line) for line in json_log_lines if "database unavailable" in line]
    assert outage and outage[0]["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_middleware_losing_the_database_gets_the_same_503_page() -> None:
    middleware = [*settings.MIDDLEWARE, "tests.ops.dead_database.DeadDatabaseMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        response = Client(raise_request_exception=False).get("/ops/ping")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "briefly unavailable" in response.content.decode()


@pytest.mark.django_db
def test_public_form_posts_beyond_the_limit_get_429_with_retry_after(client: Client) -> None:
    with override_settings(ACUEVIDENCE_FORM_RATE_LIMIT=(3, 600)):
        statuses = [client.post("/search/", {"q": "x"}).status_code for _ in range(4)]
        other_client = client.post("/search/", {"q": "x"}, REMOTE_ADDR="10.0.0.9")
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    assert other_client.status_code != 429


@pytest.mark.django_db
def test_form_limit_does_not_count_admin_or_api_posts(client: Client) -> None:
    with override_settings(ACUEVIDENCE_FORM_RATE_LIMIT=(1, 600)):
        for _ in range(3):
            assert (
                client.post("/admin/login/", {"username": "x", "password": "y"}).status_code != 429
            )
        assert client.post("/search/", {"q": "x"}).status_code != 429
