"""Fixtures shared by the Django tests: vocabularies, users and a small published corpus.

Data is created through the same services the application uses, never mocked.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = ["tests.browser_fixtures"]

SEED_STUDY: dict[str, Any] = {
    "key": "seed-acupotomy-stroke",
    "title": "Ultrasound-guided acupotomy with acupuncture for limb function after stroke",
    "short_title": "Seed trial",
    "authors": ["Example A", "Example B"],
    "journal": "Test Journal",
    "year": 2025,
    "pmid": "40048119",
    "design": "rct",
    "status": "completed",
    "conditions": ["post-stroke-hemiplegia"],
    "therapies": ["acupotomy", "acupuncture"],
    "sample_size": 102,
    "treatment_period": "4 weeks",
    "follow_up": "6 months",
    "arms": [
        {"label": "acupotomy group", "n": 51, "therapy": "acupotomy", "description": ""},
        {"label": "control group", "n": 51, "therapy": "usual-care", "description": ""},
    ],
    "results": [
        {
            "arm": "acupotomy group",
            "outcome": None,
            "outcome_label": "Upper limb function",
            "timepoint": "6 months",
            "kind": "mean_sd",
            "n": 51,
            "mean": 8.86,
            "sd": 2.86,
            "printed": "8.86±2.86",
        },
        {
            "arm": "control group",
            "outcome": None,
            "outcome_label": "Upper limb function",
            "timepoint": "6 months",
            "kind": "mean_sd",
            "n": 51,
            "mean": 6.08,
            "sd": 3.99,
            "printed": "6.08±3.99",
        },
    ],
    "comparisons": [
        {
            "outcome": None,
            "outcome_label": "Upper limb function",
            "timepoint": "6 months",
            "intervention_arm": "acupotomy group",
            "control_arm": "control group",
            "measure": "MD",
            "estimate": 2.78,
            "ci": [1.42, 4.15],
            "p": 0.001,
            "p_relation": "<",
            "printed": "2.78; 95% CI 1.42–4.15; p<0.001",
            "is_primary": True,
        },
    ],
    "highlight": "One trial of 102 people after stroke compared acupotomy added to rehabilitation with rehabilitation alone.",
}


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Every test starts with an empty cache, as the database starts empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def vocab(db: None) -> None:
    from acuevidence.research.services import vocabulary_sync

    vocabulary_sync()


@pytest.fixture
def editor(db: None) -> Any:
    from django.contrib.auth import get_user_model

    from acuevidence.research.roles import REVIEWERS, roles_ensure

    user = get_user_model().objects.create_user(
        username="editor",
        password="correct horse battery staple",
        first_name="Erin",
        last_name="Editor",
    )
    user.groups.add(roles_ensure()[REVIEWERS])
    return user


@pytest.fixture
def admin_user_with_password(db: None) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="boss", email="boss@example.invalid", password="correct horse battery staple"
    )


@pytest.fixture
def site(db: None) -> Any:
    from acuevidence.content.services import site_pages_ensure

    return site_pages_ensure(hostname="testserver")


@pytest.fixture
def published_seed_study(vocab: None, site: Any, editor: Any) -> Any:
    from acuevidence.content.services import condition_hubs_ensure
    from acuevidence.research.services import study_publish, study_save_curated

    study, _ = study_save_curated(data=SEED_STUDY, source="manual", editor=editor)
    study = study_publish(study=study, reviewer=editor)
    condition_hubs_ensure(conditions=study.conditions.all())
    return study
