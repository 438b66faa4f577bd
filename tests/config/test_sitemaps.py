"""sitemap.xml lists public pages only; robots.txt keeps crawlers out of private parts."""

from __future__ import annotations

import pytest
from lxml import etree

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_public_pages_studies_and_practitioners(client, published_seed_study, editor):
    from acuevidence.directory.models import Practitioner
    from acuevidence.research.services import study_save_curated
    from tests.conftest import SEED_STUDY

    study_save_curated(data={**SEED_STUDY, "key": "a-draft"}, source="manual", editor=editor)
    Practitioner.objects.create(name="Shown Person")
    Practitioner.objects.create(name="Hidden Person", is_published=False)
    tree = etree.fromstring(client.get("/sitemap.xml").content)
    locations = {loc.text for loc in tree.findall(".//s:loc", NS)}
    for expected in (
        "http://testserver/",
        "http://testserver/conditions/post-stroke-hemiplegia/",
        f"http://testserver/studies/{published_seed_study.slug}/",
        "http://testserver/practitioners/shown-person/",
        "http://testserver/studies/",
    ):
        assert expected in locations, expected
    assert "http://testserver/studies/a-draft/" not in locations
    assert "http://testserver/practitioners/hidden-person/" not in locations


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/\n" in text
    assert "Disallow: /api/v1/imports/\n" in text
    assert text.rstrip().endswith("Sitemap: http://testserver/sitemap.xml")
