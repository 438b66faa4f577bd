"""RSS and Atom feeds of highlights and of new evidence per condition."""

from __future__ import annotations

import pytest
from lxml import etree

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_highlights_rss_lists_published_highlights(client, published_seed_study):
    response = client.get("/feeds/highlights.rss")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = etree.fromstring(response.content).find("channel")
    (item,) = channel.findall("item")
    assert item.findtext("description") == published_seed_study.highlight
    assert item.findtext("link") == f"http://testserver/studies/{published_seed_study.slug}/"
    assert item.findtext("category") == "Post-stroke hemiplegia"


def test_condition_atom_feed_includes_subconditions(client, published_seed_study):
    response = client.get("/feeds/conditions/stroke.atom")
    feed = etree.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "New evidence on Stroke · AcuEvidence"
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == [published_seed_study.title]


def test_feed_for_a_condition_without_studies_is_empty_and_unknown_is_404(client, vocab, site):
    feed = etree.fromstring(client.get("/feeds/conditions/migraine.rss").content)
    assert feed.find("channel").findall("item") == []
    assert client.get("/feeds/conditions/not-a-condition.rss").status_code == 404


def test_drafts_are_not_in_feeds(client, vocab, site, editor):
    from acuevidence.research.services import study_save_curated
    from tests.conftest import SEED_STUDY

    study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    assert b"<item>" not in client.get("/feeds/highlights.rss").content
