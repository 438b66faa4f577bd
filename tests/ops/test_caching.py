"""Whole-page cache: anonymous pages are served from the cache and a publish shows at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from acuevidence.ops.caching import CACHE_HEADER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

STUDY_URL = "/studies/seed-acupotomy-stroke/"


@pytest.fixture
def page_cache_on() -> Any:
    with override_settings(ACUEVIDENCE_PAGE_CACHE_SECONDS=300):
        yield


def _retitle_draft(study: Any, title: str, editor: Any) -> None:
    draft = study.get_latest_revision_as_object()
    draft.title = title
    draft.save_revision(user=editor, clean=False)


def test_anonymous_pages_are_cached_after_the_first_request(
    client: Client, published_seed_study: Any, django_assert_num_queries: Any
) -> None:
    first = client.get(STUDY_URL)
    with django_assert_num_queries(0):
        second = client.get(STUDY_URL)
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] and second["X-Request-ID"] != first["X-Request-ID"]


def test_query_strings_are_cached_separately(client: Client, published_seed_study: Any) -> None:
    client.get("/studies/")
    assert client.get("/studies/?page=2")[CACHE_HEADER] == "miss"
    assert client.get("/studies/")[CACHE_HEADER] == "hit"


def test_signed_in_users_and_posts_bypass_the_cache(
    client: Client, published_seed_study: Any, editor: Any
) -> None:
    client.get(STUDY_URL)
    client.force_login(editor)
    assert CACHE_HEADER not in client.get(STUDY_URL)
    assert CACHE_HEADER not in client.post("/search/", {"q": "stroke"})


def test_health_checks_are_never_cached(client: Client) -> None:
    client.get("/readyz")
    assert CACHE_HEADER not in client.get("/readyz")


def test_a_saved_draft_does_not_change_the_cached_page(
    client: Client, published_seed_study: Any, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.get(STUDY_URL)
    with django_capture_on_commit_callbacks(execute=True):
        _retitle_draft(published_seed_study, "A draft title nobody should see", editor)
    response = client.get(STUDY_URL)
    assert response[CACHE_HEADER] == "hit"
    assert "A draft title nobody should see" not in response.content.decode()


@pytest.mark.parametrize("url", [STUDY_URL, "/studies/", "/"])
def test_a_published_change_is_visible_immediately_on_every_page(
    client: Client,
    published_seed_study: Any,
    editor: Any,
    django_capture_on_commit_callbacks: Any,
    url: str,
) -> None:
    from acuevidence.research.services import study_publish

    before = client.get(url)
    assert client.get(url)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        _retitle_draft(published_seed_study, "Acupotomy after stroke, corrected title", editor)
        study_publish(study=published_seed_study, reviewer=editor)
    after = client.get(url)
    assert before.status_code == after.status_code == 200
    assert after[CACHE_HEADER] == "miss"
    if url != "/":  # the home page lists highlights, not titles
        assert "Acupotomy after stroke, corrected title" in after.content.decode()


def test_publishing_a_wagtail_page_invalidates_the_cache(
    client: Client, site: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.get("/")
    assert client.get("/")[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        site.intro = "A new introduction, just published."
        site.save_revision().publish()
    after = client.get("/")
    assert after[CACHE_HEADER] == "miss"
    assert "A new introduction, just published." in after.content.decode()
