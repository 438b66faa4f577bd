"""A reader searches from the home page by condition and ZIP code and opens a profile (Chromium)."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def practitioners(vocab, make_practitioner, make_licence):
    """Two demo practitioners in the Bay Area and one in Fresno, all with stroke experience."""
    from acuevidence.research.models import Condition

    hemiplegia = Condition.objects.get(slug="post-stroke-hemiplegia")
    near = make_practitioner(
        "Mission Acupuncture Demo", (37.765, -122.419), conditions=(hemiplegia,), is_demo=True
    )
    make_licence(near, "AC 2001")
    make_practitioner("Oakland Demo", (37.804, -122.271), conditions=(hemiplegia,), is_demo=True)
    make_practitioner("Fresno Demo", (36.74, -119.79), conditions=(hemiplegia,), is_demo=True)
    return near


def test_search_from_the_home_page_to_a_profile(
    live_server, page, screenshot, axe_check, published_seed_study, practitioners
):
    # The seed study gives the home page its "Post-stroke hemiplegia" condition hub.
    page.goto(live_server.url + "/")
    form = page.locator("form.search-box")
    form.get_by_label("Find a practitioner with experience of").select_option(
        label="Post-stroke hemiplegia"
    )
    form.get_by_label("near").fill("94103")
    form.get_by_role("button", name="Search the directory").click()

    assert "condition=post-stroke-hemiplegia" in page.url and "place=94103" in page.url
    main = page.locator("main").inner_text()
    assert "with experience of post-stroke hemiplegia" in main
    assert "within 25 miles of 94103 (San Francisco, CA)" in main
    assert "Fresno Demo" not in main
    cards = page.locator(".practitioner")
    assert cards.count() == 2
    assert "miles away" in cards.first.inner_text()
    assert "Demo data: not a real practitioner" in main
    screenshot("1-results")
    axe_check("directory search results")

    page.locator(".practitioner h2 a").first.click()
    profile = page.locator("main").inner_text()
    assert "Mission Acupuncture Demo" in profile
    assert "This profile is synthetic" in profile
    assert "verified on" in profile
    ld = json.loads(page.locator('script[type="application/ld+json"]').first.text_content())
    assert ld["@type"] == "MedicalBusiness"
    screenshot("2-profile")
    axe_check("practitioner profile")


def test_use_my_location_fills_in_browser_coordinates(live_server, browser, practitioners):
    context = browser.new_context(
        geolocation={"latitude": 37.80, "longitude": -122.27}, permissions=["geolocation"]
    )
    tab = context.new_page()
    tab.goto(live_server.url + "/practitioners/?radius=5")
    tab.get_by_role("button", name="Use my location").click()
    tab.wait_for_url("**place=37.8000*")
    main = tab.locator("main").inner_text()
    context.close()
    assert "of your location" in main
    assert "Oakland Demo" in main and "Mission Acupuncture Demo" not in main


def test_the_browser_remembers_the_place_for_find_a_practitioner_links(
    live_server, page, published_seed_study, practitioners
):
    page.goto(live_server.url + "/practitioners/?place=94103&radius=25")
    page.goto(live_server.url + published_seed_study.get_absolute_url())
    cta = page.get_by_role("link", name="Find a practitioner →")
    assert "place=94103" in cta.get_attribute("href")
    cta.click()
    assert "within 25 miles of 94103 (San Francisco, CA)" in page.locator("main").inner_text()
    page.goto(live_server.url + "/")
    assert page.locator("#home-place").input_value() == "94103"

    page.goto(live_server.url + "/practitioners/?place=")  # the reader clears the place
    page.goto(live_server.url + published_seed_study.get_absolute_url())
    href = page.get_by_role("link", name="Find a practitioner →").get_attribute("href")
    assert "place=" not in href
