"""Fixtures for the API tests: a second published study, a draft, a withdrawn one, practitioners."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SEED_STUDY

OTHER_STUDY: dict[str, Any] = {
    **SEED_STUDY,
    "key": "migraine-trial",
    "title": "Acupuncture for migraine prophylaxis, a test trial",
    "short_title": "Migraine trial",
    "year": 2019,
    "pmid": "",
    "conditions": ["migraine"],
    "therapies": ["acupuncture"],
    "highlight": "A test trial on migraine.",
}


@pytest.fixture
def corpus(published_seed_study: Any, editor: Any) -> dict[str, Any]:
    """Published: the seed study (stroke) and a migraine trial; a draft and a withdrawn study."""
    from acuevidence.research.services import study_publish, study_save_curated

    other, _ = study_save_curated(data=OTHER_STUDY, source="manual", editor=editor)
    other = study_publish(study=other, reviewer=editor)
    draft, _ = study_save_curated(
        data={**OTHER_STUDY, "key": "draft-trial", "title": "An unpublished draft trial"},
        source="manual",
        editor=editor,
    )
    withdrawn, _ = study_save_curated(
        data={**OTHER_STUDY, "key": "withdrawn-trial", "title": "A retracted trial"},
        source="manual",
        editor=editor,
    )
    withdrawn = study_publish(study=withdrawn, reviewer=editor)
    withdrawn.withdrawn = True
    withdrawn.save()
    return {"seed": published_seed_study, "other": other, "draft": draft, "withdrawn": withdrawn}


@pytest.fixture
def practitioners(vocab: None) -> dict[str, Any]:
    """A published practitioner in San Francisco, one in New York, and an unpublished one."""
    from acuevidence.directory.models import Location, Practitioner
    from acuevidence.research.models import Condition, Therapy

    def make(name: str, city: str, lat: float, lon: float, **extra: Any) -> Practitioner:
        practitioner = Practitioner.objects.create(
            name=name, email=f"{name.split()[0].lower()}@private.example", **extra
        )
        Location.objects.create(
            practitioner=practitioner, city=city, region="XX", latitude=lat, longitude=lon
        )
        practitioner.conditions.set([Condition.objects.get(slug="stroke")])
        practitioner.therapies.set([Therapy.objects.get(slug="acupuncture")])
        practitioner.save()  # parental many-to-many relations are written on save
        return practitioner

    return {
        "sf": make("Sam Francis", "San Francisco", 37.7749, -122.4194, telehealth=True),
        "ny": make("Nora York", "New York", 40.7128, -74.0060),
        "hidden": make("Hidden Person", "Boston", 42.36, -71.06, is_published=False),
    }
