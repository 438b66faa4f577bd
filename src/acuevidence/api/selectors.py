"""Reads behind the API: published data only, filtered as the endpoints' parameters say.

Everything starts from the public definitions in ``research.selectors``
(published studies) and ``directory.selectors`` (published profiles).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from acuevidence.directory.models import Location, Practitioner
from acuevidence.directory.selectors import conditions_relevant_to, public_practitioners
from acuevidence.evidence.geo import bounding_box, haversine_km
from acuevidence.research.models import Condition, Study, SynthesisVersion
from acuevidence.research.selectors import (
    condition_with_descendants,
    current_synthesis_versions,
    highlight_list,
    published_studies,
)


@dataclass(frozen=True)
class StudyFilters:
    condition: str | None = None
    therapy: str | None = None
    design: str | None = None
    status: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    certainty: str | None = None


def api_studies(filters: StudyFilters) -> QuerySet[Study]:
    """Published studies matching every given filter; a condition includes its subconditions."""
    studies = published_studies()
    if filters.condition:
        condition = Condition.objects.filter(slug=filters.condition).first()
        if condition is None:
            return studies.none()
        studies = studies.filter(conditions__in=condition_with_descendants(condition))
    if filters.therapy:
        studies = studies.filter(therapies__slug=filters.therapy)
    if filters.design:
        studies = studies.filter(design=filters.design)
    if filters.status:
        studies = studies.filter(status=filters.status)
    if filters.year is not None:
        studies = studies.filter(year=filters.year)
    if filters.year_from is not None:
        studies = studies.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        studies = studies.filter(year__lte=filters.year_to)
    if filters.certainty:
        studies = studies.filter(comparisons__certainty=filters.certainty)
    ids = studies.values("pk")
    return published_studies().filter(pk__in=ids).prefetch_related("conditions", "therapies")


def api_highlights(*, condition: str | None, limit: int) -> list[Study]:
    """The newest highlights, optionally for one condition (with its subconditions)."""
    if condition:
        found = Condition.objects.filter(slug=condition).first()
        if found is None:
            return []
        return highlight_list(limit=limit, condition=found)
    return highlight_list(limit=limit)


def api_condition_syntheses(condition: Condition) -> QuerySet[SynthesisVersion]:
    """The current version of each synthesis of the condition and its subconditions.

    Their numbers pool published studies only (``research.syntheses``); the serializer
    leaves out texts that no editor approved.
    """
    return (
        current_synthesis_versions()
        .filter(synthesis__condition__in=condition_with_descendants(condition))
        .select_related("synthesis__condition__hub")
    )


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class PractitionerFilters:
    condition: str | None = None
    therapy: str | None = None
    telehealth: bool | None = None
    region: str | None = None
    place: Place | None = None


def _within(place: Place) -> dict[int, float]:
    """Practitioner id -> distance (km) of their nearest location inside the circle."""
    box = bounding_box(place.latitude, place.longitude, place.radius_km)
    longitudes = Q()
    for low, high in box.lon_ranges:
        longitudes |= Q(longitude__gte=low, longitude__lte=high)
    candidates = Location.objects.filter(
        longitudes, latitude__gte=box.min_lat, latitude__lte=box.max_lat
    ).values_list("practitioner_id", "latitude", "longitude")
    nearest: dict[int, float] = {}
    for practitioner_id, lat, lon in candidates:
        distance = haversine_km(place.latitude, place.longitude, lat, lon)
        if distance <= place.radius_km:
            nearest[practitioner_id] = min(distance, nearest.get(practitioner_id, distance))
    return nearest


def api_practitioners(
    filters: PractitionerFilters,
) -> tuple[QuerySet[Practitioner], dict[int, float]]:
    """Published profiles matching the filters, and distances when searching by place."""
    practitioners = Practitioner.objects.filter(is_published=True)
    if filters.condition:
        condition = Condition.objects.filter(slug=filters.condition).first()
        if condition is None:
            return public_practitioners().none(), {}
        practitioners = practitioners.filter(conditions__in=conditions_relevant_to(condition))
    if filters.therapy:
        practitioners = practitioners.filter(therapies__slug=filters.therapy)
    if filters.telehealth is not None:
        practitioners = practitioners.filter(telehealth=filters.telehealth)
    if filters.region:
        practitioners = practitioners.filter(locations__region__iexact=filters.region)
    distances: dict[int, float] = {}
    if filters.place is not None:
        distances = _within(filters.place)
        practitioners = practitioners.filter(pk__in=list(distances))
    ids = practitioners.values("pk")
    return public_practitioners().filter(pk__in=ids), distances
