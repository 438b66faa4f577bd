"""Public pages and API lists run a bounded number of SQL queries, whatever the data size.

Each page is requested with N and then 3N published studies (with arms, results and
comparisons) in the same condition; the number of queries must not grow.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import SEED_STUDY

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/conditions/post-stroke-hemiplegia/",
    "/studies/seed-acupotomy-stroke/",
    "/studies/",
    "/highlights/",
    "/api/v1/studies/",
    "/api/v1/conditions/",
    "/api/v1/conditions/stroke/syntheses/",
    "/practitioners/",
    "/search/?q=acupotomy",
    "/feeds/highlights.rss",
]


def _publish_more(count: int, start: int, editor: Any) -> None:
    from acuevidence.research.services import study_publish, study_save_curated

    for number in range(start, start + count):
        data = {
            **SEED_STUDY,
            "key": f"extra-trial-{number}",
            "title": f"Acupotomy extra trial number {number}",
            "pmid": str(41000000 + number),
            "highlight": f"Extra trial {number} on limb function after stroke.",
        }
        study, _ = study_save_curated(data=data, source="manual", editor=editor)
        study_publish(study=study, reviewer=editor, refresh_syntheses=False)


def _practitioners(count: int, start: int) -> None:
    from acuevidence.directory.models import Location, Practitioner
    from acuevidence.research.models import Condition

    stroke = Condition.objects.get(slug="post-stroke-hemiplegia")
    for number in range(start, start + count):
        practitioner = Practitioner.objects.create(name=f"Pat Number{number}", slug=f"pat-{number}")
        Location.objects.create(
            practitioner=practitioner, city="Springfield", region="XX", latitude=40.0,
            longitude=-90.0,
        )  # fmt: skip
        practitioner.conditions.set([stroke])


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(published_seed_study: Any, editor: Any) -> None:
    client = Client()
    _publish_more(2, 0, editor)
    _practitioners(3, 0)
    small = {path: _count(client, path) for path in PAGES}
    _publish_more(6, 2, editor)
    _practitioners(6, 3)
    large = {path: _count(client, path) for path in PAGES}
    grown = {path: (small[path], large[path]) for path in PAGES if large[path] > small[path]}
    assert grown == {}, f"queries (N studies, 3N studies) on pages that grew: {grown}"


def test_synthesis_pages_and_api_do_not_grow_with_studies_or_syntheses(
    vocab: None, site: Any, editor: Any
) -> None:
    """The nausea hub and its syntheses endpoint, with 4 and then all 16 Lee & Done trials."""
    from acuevidence.content.services import condition_hubs_ensure
    from acuevidence.research.models import Condition, SynthesisVersion
    from acuevidence.research.syntheses import syntheses_refresh_all
    from tests.research.demo_data import demo_entries, load

    entries = demo_entries("lee2004-")
    paths = [
        "/conditions/postoperative-nausea-vomiting/",
        "/api/v1/conditions/postoperative-nausea-vomiting/syntheses/",
    ]
    client = Client()
    load(entries[:4], editor=editor)
    syntheses_refresh_all(trigger="test")
    condition_hubs_ensure(conditions=[Condition.objects.get(slug="postoperative-nausea-vomiting")])
    versions_before = SynthesisVersion.objects.count()
    small = {path: _count(client, path) for path in paths}
    load(entries[4:], editor=editor)
    syntheses_refresh_all(trigger="test")
    assert SynthesisVersion.objects.count() > versions_before
    large = {path: _count(client, path) for path in paths}
    grown = {path: (small[path], large[path]) for path in paths if large[path] > small[path]}
    assert grown == {}, f"queries (4 studies, 16 studies) on pages that grew: {grown}"
