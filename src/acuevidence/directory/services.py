"""Writes to the directory: licence verification and the synthetic demo practitioners."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from faker import Faker

from acuevidence.directory.models import Licence, Location, Practitioner, VerificationEvent
from acuevidence.research.models import Condition, Therapy

DEMO_CREDENTIALS = (
    "L.Ac.",
    "L.Ac., Dipl. Ac. (NCCAOM)",
    "L.Ac., DAOM",
    "MD, L.Ac.",
    "Dipl. Ac. (NCCAOM)",
)
DEMO_LANGUAGES = ("English", "Spanish", "Mandarin", "Cantonese", "Korean", "Vietnamese", "Tagalog")
DEMO_INSURANCE = (
    "Aetna",
    "Blue Cross Blue Shield",
    "Cigna",
    "Kaiser Permanente",
    "UnitedHealthcare",
)
DEMO_THERAPIES = (
    "acupuncture",
    "electroacupuncture",
    "scalp-acupuncture",
    "moxibustion",
    "auricular-acupuncture",
    "acupressure",
    "cupping",
    "acupotomy",
)


def licence_verify(
    *,
    licence: Licence,
    method: str,
    result: str,
    performed_by: AbstractBaseUser | None,
    evidence_note: str = "",
    at: dt.datetime | None = None,
) -> VerificationEvent:
    """Record one verification of a licence (append-only)."""
    return VerificationEvent.objects.create(
        licence=licence,
        method=method,
        result=result,
        performed_by=performed_by,
        evidence_note=evidence_note,
        performed_at=at or timezone.now(),
    )


@transaction.atomic
def demo_practitioners_create(
    *,
    count: int,
    cities: Sequence[Mapping[str, Any]],
    boards: Sequence[Mapping[str, Any]],
    seed: int = 20261122,
) -> int:
    """Create ``count`` synthetic practitioners spread over ``cities``, all flagged as demo.

    Deterministic for a given seed, and idempotent: practitioners are keyed by a
    demo slug, so a second run creates nothing new. Returns how many were created.
    Roughly four in five get a licence verified against the (demo) board roster;
    the rest show why the badge can be missing (expired, never verified).
    """
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    boards_by_state = {board["state"]: board for board in boards}
    therapies = list(Therapy.objects.filter(slug__in=DEMO_THERAPIES))
    conditions = list(Condition.objects.all())
    today = timezone.localdate()
    created = 0
    for i in range(count):
        slug = f"demo-practitioner-{i + 1:04d}"
        name = fake.name()
        city = cities[i % len(cities)]
        if Practitioner.objects.filter(slug=slug).exists():
            continue
        practitioner = Practitioner.objects.create(
            slug=slug,
            name=name,
            credentials=rng.choice(DEMO_CREDENTIALS),
            bio=(
                f"Synthetic demo profile. {name.split()[0]} practises in {city['city']} and "
                f"describes a focus on {rng.choice(conditions).name.lower() if conditions else 'pain'}."
            ),
            languages=["English", *rng.sample(DEMO_LANGUAGES[1:], k=rng.randint(0, 2))],
            telehealth=rng.random() < 0.3,
            insurance_accepted=rng.sample(DEMO_INSURANCE, k=rng.randint(0, 3)),
            email=f"{slug}@example.invalid",
            is_demo=True,
        )
        practitioner.therapies.set(rng.sample(therapies, k=min(len(therapies), rng.randint(1, 4))))
        practitioner.conditions.set(
            rng.sample(conditions, k=min(len(conditions), rng.randint(1, 5)))
        )
        for j in range(1 + (rng.random() < 0.15)):
            place = city if j == 0 else cities[(i + 7) % len(cities)]
            Location.objects.create(
                practitioner=practitioner,
                name=f"{fake.last_name()} Acupuncture Clinic",
                address=fake.street_address(),
                city=place["city"],
                region=place["state"],
                postal_code=place["postal_code"],
                latitude=round(place["latitude"] + rng.uniform(-0.05, 0.05), 5),
                longitude=round(place["longitude"] + rng.uniform(-0.05, 0.05), 5),
            )
        board = boards_by_state.get(city["state"])
        if board is None:
            continue
        outcome = rng.random()
        expires = today + dt.timedelta(days=rng.randint(60, 720))
        if outcome > 0.9:
            expires = today - dt.timedelta(days=rng.randint(1, 200))
        licence = Licence.objects.create(
            practitioner=practitioner,
            jurisdiction=board["jurisdiction"],
            board=board["board"],
            number=f"{board.get('licence_prefix') or 'LIC'} {10000 + i}",
            status=Licence.Status.ACTIVE if expires >= today else Licence.Status.EXPIRED,
            issued_on=expires - dt.timedelta(days=730),
            expires_on=expires,
        )
        if outcome < 0.8:
            licence_verify(
                licence=licence,
                method=VerificationEvent.Method.ROSTER,
                result=VerificationEvent.Result.VERIFIED,
                performed_by=None,
                evidence_note="Demo data: matched against a synthetic copy of the board roster.",
                at=timezone.now() - dt.timedelta(days=rng.randint(1, 200)),
            )
        created += 1
    return created
