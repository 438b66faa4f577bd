"""The primary/replica router and the per-request pinning (decisions only; the real
streaming replica is exercised in test_replica.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from acuevidence.config.db_routers import PrimaryReplicaRouter, pinned_to_primary, unpin
from acuevidence.ops.middleware import PIN_COOKIE, ReplicaPinningMiddleware
from acuevidence.research.models import Study

router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica() -> Iterator[None]:
    databases = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    with pytest.warns(UserWarning, match="DATABASES"), override_settings(DATABASES=databases):
        unpin()
        yield
    unpin()


def test_without_a_replica_everything_uses_the_primary() -> None:
    unpin()
    assert router.db_for_read(Study) == "default"
    assert router.db_for_write(Study) == "default"


def test_reads_go_to_the_replica_until_something_is_written(with_replica: None) -> None:
    assert router.db_for_read(Study) == "replica"
    assert router.db_for_write(Study) == "default"
    assert router.db_for_read(Study) == "default"  # read your own write
    unpin()
    assert router.db_for_read(Study) == "replica"


def test_migrations_run_on_the_primary_only() -> None:
    assert router.allow_migrate("default", "research")
    assert not router.allow_migrate("replica", "research")


def _serve(request: HttpRequest, *, write: bool = False) -> tuple[HttpResponse, list[str]]:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(Study))
        if write:
            router.db_for_write(Study)
            seen.append(router.db_for_read(Study))
        return HttpResponse("ok")

    return ReplicaPinningMiddleware(view)(request), seen  # type: ignore[return-value]


def test_a_get_reads_from_the_replica_and_sets_no_cookie(with_replica: None) -> None:
    response, seen = _serve(RequestFactory().get("/studies/"))
    assert seen == ["replica"]
    assert PIN_COOKIE not in response.cookies


def test_a_get_that_writes_reads_its_write_from_the_primary(with_replica: None) -> None:
    _, seen = _serve(RequestFactory().get("/studies/"), write=True)
    assert seen == ["replica", "default"]
    assert not pinned_to_primary()  # the next request starts unpinned


def test_a_post_reads_from_the_primary_and_pins_the_client_for_a_while(
    with_replica: None,
) -> None:
    response, seen = _serve(RequestFactory().post("/for-practitioners/profile/"), write=True)
    assert seen == ["default", "default"]
    cookie: Any = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == settings.ACUEVIDENCE_REPLICA_PIN_SECONDS
    assert cookie["httponly"]
    follow_up = RequestFactory().get("/studies/")
    follow_up.COOKIES[PIN_COOKIE] = "1"
    assert _serve(follow_up)[1] == ["default"]


def test_admin_requests_read_from_the_primary(with_replica: None) -> None:
    assert _serve(RequestFactory().get("/admin/snippets/"))[1] == ["default"]
