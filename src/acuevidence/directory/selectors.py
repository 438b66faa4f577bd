"""Reads of the public directory: listings and profiles, with what the badge needs prefetched."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from acuevidence.directory.models import Licence, Practitioner, VerificationEvent
from acuevidence.research.models import Condition, Therapy
from acuevidence.research.selectors import condition_with_descendants


def public_practitioners() -> QuerySet[Practitioner]:
    """Published profiles with locations, licences and their latest verifications prefetched."""
    return Practitioner.objects.filter(is_published=True).prefetch_related(
        "locations",
        "therapies",
        "conditions",
        Prefetch(
            "licences",
            queryset=Licence.objects.prefetch_related(
                Prefetch(
                    "verifications",
                    queryset=VerificationEvent.objects.order_by("-performed_at"),
                    to_attr="prefetched_verifications",
                )
            ),
        ),
    )


def conditions_relevant_to(condition: Condition) -> list[Condition]:
    """A condition, its broader ancestors and its narrower descendants.

    A practitioner experienced in "Stroke" is relevant to a reader with post-stroke
    hemiplegia, and one experienced in post-stroke hemiplegia to a reader with stroke.
    """
    return [*condition.ancestors(), *condition_with_descendants(condition)]


def practitioner_list(
    *, condition: Condition | None = None, therapy: Therapy | None = None
) -> QuerySet[Practitioner]:
    """Public practitioners, filtered by condition of experience and therapy offered."""
    practitioners = public_practitioners()
    if condition is not None:
        practitioners = practitioners.filter(conditions__in=conditions_relevant_to(condition))
    if therapy is not None:
        practitioners = practitioners.filter(therapies=therapy)
    return practitioners.distinct().order_by("name")


def verified_licences(practitioner: Practitioner) -> list[Licence]:
    """The practitioner's licences that currently back the verified badge."""
    return [licence for licence in practitioner.licences.all() if licence.is_verified()]
