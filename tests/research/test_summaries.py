"""The seed study: drafted, rated and published as low-certainty evidence in plain words."""

import re

import pytest
from django.urls import reverse

from acuevidence.evidence.summarize import numbers_in
from acuevidence.research.models import GeneratedText
from acuevidence.research.services import study_drafts_generate, study_publish
from acuevidence.research.summaries import plain_grade
from tests.research.demo_data import demo_entries, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(vocab, site, editor):
    (entry,) = [e for e in demo_entries("acupotomy-stroke-2025")]
    (study,) = load([entry], editor=editor, publish=False)
    study_drafts_generate(study=study, user=editor)
    return study_publish(study=study, reviewer=editor), entry


def test_the_seed_study_reads_as_low_certainty_with_its_reasons(client, seed):
    study, _ = seed
    assert {c.certainty for c in study.comparisons.all()} == {"low"}
    assert "may improve arm movement" in study.key_finding
    assert "Low-certainty evidence from one randomized trial with 102 participants" in (
        study.key_finding
    )
    html = client.get(reverse("study-detail", args=[study.slug])).content.decode()
    assert "Low certainty" in html
    assert "Risk of bias: some concerns overall" in html
    assert "fewer than the optimal information size of 786" in html
    assert "not assessed, counted as some concerns" in html
    assert "Consistency checks" in html and "reported 2.78" in html


def test_the_seed_plain_summary_is_cochrane_shaped_and_at_grade_8_or_below(seed):
    study, _ = seed
    text = study.plain_summary
    for heading in (
        "What did we want to find out?",
        "What did we do?",
        "What did we find?",
        "What are the limitations of the evidence?",
        "How up to date is this evidence?",
    ):
        assert heading in text
    assert 150 <= len(text.split()) <= 400
    assert plain_grade(text) <= 8


def test_every_number_in_the_drafts_is_one_of_the_study_numbers(seed):
    study, entry = seed
    allowed = set(numbers_in(str(entry)))
    allowed |= {n.lstrip("-") for n in allowed}
    allowed |= {"786", "2026", "2025"}  # the optimal information size, the drafting date
    for name in ("key_finding", "plain_summary", "technical_summary"):
        # The consistency-check line reports recomputed values, labelled "expected".
        text = getattr(study, name).split("Consistency checks:")[0]
        stray = [n for n in numbers_in(text) if n not in allowed]
        stray = [
            n for n in stray if not re.fullmatch(r"0*(\d+)", n) or n.lstrip("0") not in allowed
        ]
        assert not stray, (name, stray)


def test_generated_texts_are_recorded_and_edited_text_is_never_overwritten(seed, editor):
    study, _ = seed
    assert GeneratedText.objects.filter(study=study, field="key_finding").count() == 1
    draft = study.get_latest_revision_as_object()
    draft.key_finding = "An editor's own sentence."
    draft.save_revision(user=editor)
    notes = study_drafts_generate(study=study, user=editor)
    assert any("Kept the edited key finding" in n for n in notes)
    assert study.get_latest_revision_as_object().key_finding == "An editor's own sentence."
    assert GeneratedText.objects.filter(study=study, field="key_finding").count() == 2


def test_the_review_panel_shows_grade_and_overclaim_flags_before_submission(
    client, seed, admin_user_with_password, editor
):
    study, _ = seed
    draft = study.get_latest_revision_as_object()
    draft.key_finding = "The results were encouraging and offer real hope."
    draft.save_revision(user=editor)
    client.force_login(admin_user_with_password)
    html = client.get(reverse("wagtailsnippets_research_study:edit", args=[study.pk])).content
    html = html.decode()
    assert "Reading grade (Flesch–Kincaid)" in html
    assert "overclaim flag" in html and "real hope" in html and "(edited)" in html
    assert "Source text with extracted spans" in html
