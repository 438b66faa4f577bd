"""GET /api/v1/conditions/{slug}/syntheses/: living syntheses, numbers always, texts once approved."""

from __future__ import annotations

from typing import Any

import pytest

from acuevidence.research.models import ConditionSynthesis, SynthesisVersion
from acuevidence.research.syntheses import (
    DL_MH_METHOD,
    syntheses_refresh_all,
    synthesis_version_approve,
)
from tests.research.demo_data import demo_entries, load

pytestmark = pytest.mark.django_db

API = "/api/v1"
NAUSEA = "postoperative-nausea-vomiting"
URL = f"{API}/conditions/{NAUSEA}/syntheses/"


@pytest.fixture
def nausea(vocab: None, site: Any, editor: Any) -> SynthesisVersion:
    """The 16 trials of Lee & Done 2004 (Cochrane CD003281), published and pooled."""
    from acuevidence.content.services import condition_hubs_ensure
    from acuevidence.research.models import Condition

    load(demo_entries("lee2004-"), editor=editor)
    syntheses_refresh_all(trigger="test")
    condition_hubs_ensure(conditions=[Condition.objects.get(slug=NAUSEA)])
    return ConditionSynthesis.objects.get(
        condition__slug=NAUSEA, outcome__slug="ponv-incidence", comparator_type="sham"
    ).latest_version


def _nausea_item(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    items = [
        i
        for i in response.json()["results"]
        if (i["outcome"], i["comparator_type"]) == ("ponv-incidence", "sham")
    ]
    assert len(items) == 1
    return items[0]


def test_the_nausea_synthesis_gives_the_cochrane_result(client, nausea):
    item = _nausea_item(client.get(URL))
    # Lee & Done 2004, P6 vs sham, nausea: RR 0.72, 95% CI 0.59 to 0.89 (RevMan DL-MH).
    assert (item["measure"], item["k"], item["pooled"]) == ("RR", 16, True)
    assert (f"{item['estimate']:.2f}", f"{item['ci_lower']:.2f}", f"{item['ci_upper']:.2f}") == (
        "0.72",
        "0.59",
        "0.89",
    )
    # metafor: predict(rma.mh-style DL fit, transf=exp) -> PI 0.4168 to 1.2604 (docs/statistics.md)
    assert (f"{item['pi_lower']:.2f}", f"{item['pi_upper']:.2f}") == ("0.42", "1.26")
    assert item["method_code"] == "DL-MH" and item["method"] == DL_MH_METHOD
    assert item["participants"] == nausea.participants and item["i2"] is not None
    assert item["tau2"] is not None
    assert item["certainty"] == nausea.certainty and item["certainty_reasons"]
    assert sorted(item["studies"]) == sorted(s["slug"] for s in nausea.studies)
    assert len(item["studies"]) == 16
    assert (item["condition"], item["version"]) == (NAUSEA, nausea.number)
    assert item["url"].startswith("/conditions/") and item["url"].endswith(
        f"#synthesis-{nausea.pk}-heading"
    )


def test_texts_are_null_until_an_editor_approves_them(client, nausea, editor):
    item = _nausea_item(client.get(URL))
    assert nausea.key_finding  # drafted automatically ...
    assert item["key_finding"] is None and item["what_it_means"] is None  # ... not public
    assert item["plain_summary"] is None and item["texts_approved_at"] is None

    synthesis_version_approve(version=nausea, reviewer=editor)
    item = _nausea_item(client.get(URL))
    assert item["key_finding"] == nausea.key_finding
    assert item["what_it_means"] == nausea.what_it_means
    assert item["texts_approved_at"] is not None
    assert "approved_by" not in item and editor.get_full_name() not in str(item)


def test_subconditions_count_and_unknown_conditions_are_404(client, nausea):
    assert client.get(f"{API}/conditions/no-such-condition/syntheses/").status_code == 404
    assert client.get(f"{API}/conditions/no-such-condition/syntheses/").json()["detail"]
    response = client.get(f"{API}/conditions/migraine/syntheses/")
    assert response.status_code == 200 and response.json() == {"next": None, "results": []}


def test_pages_walk_every_synthesis_once_and_bad_cursors_are_422(client, nausea):
    everything = client.get(URL).json()["results"]
    seen: list[tuple[str, str]] = []
    cursor = None
    while True:
        query = {"page_size": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, query).json()
        seen += [(i["outcome"], i["comparator_type"]) for i in page["results"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [(i["outcome"], i["comparator_type"]) for i in everything]
    assert client.get(URL, {"cursor": "not-a-number"}).status_code == 422
    assert client.get(URL, {"page_size": 0}).status_code == 422


def test_only_the_current_version_is_listed_and_etags_follow_it(client, nausea, editor):
    first = client.get(URL)
    etag = first["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    withdrawn = load(demo_entries("lee2004-")[:1], editor=editor, publish=False)[0]
    from acuevidence.research.services import study_withdraw

    study_withdraw(study=withdrawn, editor=editor, reason="retracted by the journal")
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    item = _nausea_item(response)
    assert item["version"] == nausea.number + 1 and item["k"] == 15
    assert withdrawn.slug not in item["studies"]
