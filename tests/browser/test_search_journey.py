"""A reader searches with the header box, narrows by a facet, and opens a study (real Chromium)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_searches_by_a_synonym_and_narrows_by_year(
    live_server, page, screenshot, axe_check, published_seed_study
):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search the site").fill("hemiparesis")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_url("**/search/?q=hemiparesis")
    assert page.get_by_role("link", name=published_seed_study.title).is_visible()
    assert page.locator("mark").first.is_visible()
    screenshot("results")
    axe_check("search results")
    page.get_by_role("link", name="2025").click()
    assert "year=2025" in page.url
    page.get_by_role("link", name=published_seed_study.title).click()
    assert page.url.endswith(published_seed_study.get_absolute_url())
    axe_check("study page with downloads")


def test_api_docs_render_without_any_outside_request(live_server, page):
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(live_server.url + "/api/docs/")
    page.get_by_text("AcuEvidence API").first.wait_for()
    page.get_by_text("/api/v1/studies/").first.wait_for()
    assert outside == []
