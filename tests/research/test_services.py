"""Research services: vocabulary sync and curated study loading are idempotent and strict."""

import copy

import pytest

from acuevidence.evidence import vocabulary
from acuevidence.research.models import Arm, Condition, OutcomeMeasure, Study
from acuevidence.research.services import study_publish, study_save_curated, vocabulary_sync
from tests.conftest import SEED_STUDY

pytestmark = pytest.mark.django_db


def test_vocabulary_sync_creates_every_term_once():
    vocabulary_sync()
    vocabulary_sync()
    assert Condition.objects.count() == len(vocabulary.CONDITIONS)
    assert OutcomeMeasure.objects.count() == len(vocabulary.OUTCOMES)


def test_saving_the_same_study_twice_duplicates_nothing(vocab, editor):
    study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    study, created = study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    assert not created
    assert Study.objects.count() == 1
    assert Arm.objects.filter(study=study).count() == 2
    assert study.results.count() == 2


def test_saved_numbers_keep_what_was_printed_and_who_entered_them(vocab, editor):
    study, _ = study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    result = study.results.get(arm_label="acupotomy group")
    assert (result.mean, result.sd, result.n) == (8.86, 2.86, 51)
    assert result.source_quote == "8.86±2.86"
    assert result.entered_by == editor


def test_an_unknown_condition_slug_names_the_study_and_field(vocab, editor):
    data = copy.deepcopy(SEED_STUDY) | {"conditions": ["no-such-condition"]}
    with pytest.raises(ValueError, match=r"seed-acupotomy-stroke.*conditions.*no-such-condition"):
        study_save_curated(data=data, source="manual", editor=editor)
    assert not Study.objects.exists()


def test_a_result_for_an_unknown_arm_is_rejected_and_nothing_is_stored(vocab, editor):
    data = copy.deepcopy(SEED_STUDY)
    data["results"][0]["arm"] = "ghost arm"
    with pytest.raises(ValueError, match="ghost arm"):
        study_save_curated(data=data, source="manual", editor=editor)
    assert not Study.objects.exists()


def test_publishing_records_the_reviewer_and_makes_the_study_live(vocab, editor):
    study, _ = study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    study = study_publish(study=study, reviewer=editor)
    assert study.live
    assert study.reviewed_by == editor
    assert study.reviewed_at is not None
    assert study.arms.count() == 2
