"""Research models keep their invariants: valid numbers, provenance, citations."""

import pytest
from django.core.exceptions import ValidationError

from acuevidence.research.models import Comparison, Condition, Result, Study

pytestmark = pytest.mark.django_db


def test_condition_hierarchy_lists_ancestors_root_first(vocab):
    hemiplegia = Condition.objects.get(slug="post-stroke-hemiplegia")
    assert [c.slug for c in hemiplegia.ancestors()] == ["stroke"]


def test_a_new_study_is_a_draft_until_published(vocab, editor):
    from acuevidence.research.services import study_save_curated
    from tests.conftest import SEED_STUDY

    study, created = study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    assert created
    assert study.live is False


def test_comparison_rejects_an_estimate_outside_its_ci():
    comparison = Comparison(outcome_label="x", estimate=5.0, ci_lower=1.0, ci_upper=4.0)
    with pytest.raises(ValidationError, match="outside its own CI"):
        comparison.clean()


def test_comparison_rejects_a_ratio_ci_at_or_below_zero():
    comparison = Comparison(
        outcome_label="x", measure="RR", estimate=0.5, ci_lower=0.0, ci_upper=1.0
    )
    with pytest.raises(ValidationError):
        comparison.clean()


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"sd": -1.0}, "sd"),
        ({"events": 12, "total": 10}, "events"),
        ({"percent": 120.0}, "percent"),
        ({"q1": 5.0, "q3": 2.0}, "q3"),
    ],
)
def test_result_rejects_impossible_numbers(fields, bad_field):
    result = Result(arm_label="a", outcome_label="o", **fields)
    with pytest.raises(ValidationError) as excinfo:
        result.clean()
    assert bad_field in excinfo.value.message_dict


def test_a_number_has_provenance_from_a_quote_a_span_or_an_editor(editor):
    assert not Result(arm_label="a", outcome_label="o").has_provenance()
    assert Result(arm_label="a", outcome_label="o", source_quote="8.86±2.86").has_provenance()
    assert Result(arm_label="a", outcome_label="o", span_start=3, span_end=9).has_provenance()
    assert Result(arm_label="a", outcome_label="o", entered_by=editor).has_provenance()


def test_citation_abbreviates_long_author_lists():
    study = Study(
        title="A trial.",
        authors=["A A", "B B", "C C", "D D", "E E", "F F", "G G"],
        journal="J Test",
        year=2020,
    )
    assert study.citation == "A A, B B, C C, D D, E E, F F, et al. A trial. J Test 2020."
