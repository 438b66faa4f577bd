"""A reader goes home -> condition -> study -> find a practitioner -> listing, in real Chromium."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_STUDIES = Path(__file__).resolve().parents[2] / "src/acuevidence/research/demo/studies.json"


def seed_study() -> dict:
    return next(s for s in json.loads(DEMO_STUDIES.read_text()) if s.get("pmid") == "40048119")


def test_reader_finds_the_seed_study_and_a_practitioner(live_server, page, screenshot, axe_check):
    call_command("demo", practitioners=60, no_admin=True, stdout=StringIO())
    seed = seed_study()

    page.goto(live_server.url + "/")
    assert "Latest research highlights" in page.content()
    screenshot("1-home")
    axe_check("home")

    page.get_by_role("link", name="Conditions", exact=True).first.click()
    page.get_by_role("link", name="Post-stroke hemiplegia").click()
    assert page.locator("h1").inner_text() == "Post-stroke hemiplegia"
    screenshot("2-condition")
    axe_check("condition hub")

    page.get_by_role("link", name=seed["title"]).click()
    body = page.locator("main").inner_text()
    for expected in (
        "Key finding",
        "Technical summary",
        "8.86 ± 2.86",
        "6.08 ± 3.99",
        "1.42 to 4.15",
        "n=51",
    ):
        assert expected in body, expected
    screenshot("3-study")
    axe_check("study page")

    page.get_by_role("link", name="Find a practitioner →").click()
    assert "condition=post-stroke-hemiplegia" in page.url
    listing = page.locator("main").inner_text()
    assert "with experience of post-stroke hemiplegia" in listing
    assert "Demo data: not a real practitioner" in listing
    assert page.locator(".practitioner").count() > 0
    screenshot("4-practitioners")
    axe_check("practitioner listing")

    page.locator(".practitioner h2 a").first.click()
    assert "This profile is synthetic" in page.locator("main").inner_text()
    screenshot("5-profile")
    axe_check("practitioner profile")


def test_pages_fit_a_phone_screen(live_server, browser, published_seed_study):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(live_server.url + published_seed_study.get_absolute_url())
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0
