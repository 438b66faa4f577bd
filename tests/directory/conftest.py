"""Directory fixtures: practitioners at chosen coordinates, licences, accounts for each role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from acuevidence.directory.models import Licence, Location, Practitioner, VerificationEvent
from acuevidence.directory.services import licence_verify

BOARD = "California Acupuncture Board"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_practitioner(db: None) -> Callable[..., Practitioner]:
    """A published practitioner with one location per (lat, lon) given."""

    def make(
        name: str,
        *coords: tuple[float, float],
        conditions: tuple[Any, ...] = (),
        therapies: tuple[Any, ...] = (),
        **fields: Any,
    ) -> Practitioner:
        practitioner = Practitioner.objects.create(name=name, **fields)
        for i, (lat, lon) in enumerate(coords):
            Location.objects.create(
                practitioner=practitioner,
                name=f"{name} clinic {i + 1}",
                city=f"Town {i + 1}",
                latitude=lat,
                longitude=lon,
            )
        practitioner.conditions.set(conditions)
        practitioner.therapies.set(therapies)
        practitioner.save()  # parental many-to-many fields are written on save
        return practitioner

    return make


@pytest.fixture
def make_licence(db: None) -> Callable[..., Licence]:
    """A licence, verified against the roster ``verified_days_ago`` days ago unless None."""

    def make(
        practitioner: Practitioner,
        number: str,
        *,
        board: str = BOARD,
        expires_in_days: int | None = 365,
        verified_days_ago: int | None = 10,
    ) -> Licence:
        today = timezone.localdate()
        licence = Licence.objects.create(
            practitioner=practitioner,
            jurisdiction="California",
            board=board,
            number=number,
            expires_on=None if expires_in_days is None else today + dt.timedelta(expires_in_days),
        )
        if verified_days_ago is not None:
            licence_verify(
                licence=licence,
                method=VerificationEvent.Method.ROSTER,
                result=VerificationEvent.Result.VERIFIED,
                performed_by=None,
                evidence_note="test roster",
                at=timezone.now() - dt.timedelta(days=verified_days_ago),
            )
        return licence

    return make


def _user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(
        username=username, email=username, password=PASSWORD, **extra
    )


@pytest.fixture
def owner(db: None, make_practitioner: Callable[..., Practitioner]) -> Any:
    user = _user("owner@example.org")
    make_practitioner(
        "Olive Owner", (37.77, -122.42), user=user, email="olive@example.org", slug="olive-owner"
    )
    return user


@pytest.fixture
def other_practitioner(db: None, make_practitioner: Callable[..., Practitioner]) -> Any:
    user = _user("other@example.org")
    make_practitioner("Oscar Other", (34.05, -118.24), user=user, email="oscar@example.org")
    return user


@pytest.fixture
def staff(db: None) -> Any:
    """Staff who may work the verification queue in the Wagtail admin (not a superuser)."""
    user = _user("staff@example.org", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_verificationrequest"),
    )
    return user
