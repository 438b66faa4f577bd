"""The search's listing entries follow every change to the directory, whoever makes it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from acuevidence.directory.listing import (
    badge_until,
    listing_entries_build_if_missing,
    listing_entries_rebuild,
)
from acuevidence.directory.models import Licence, ListingEntry, Location, latitude_band
from acuevidence.research.models import Condition, Therapy

pytestmark = pytest.mark.django_db


def entries(practitioner) -> list[tuple]:
    return sorted(
        ListingEntry.objects.filter(practitioner=practitioner).values_list(
            "latitude", "longitude", "name", "telehealth", "conditions", "therapies", "languages"
        )
    )


def snapshot() -> list[tuple]:
    return sorted(
        ListingEntry.objects.values_list(
            "practitioner_id",
            "location_id",
            "latitude_band",
            "name",
            "telehealth",
            "badge_until",
            "languages",
            "conditions",
            "therapies",
        )
    )


def test_each_location_of_a_published_practitioner_has_an_entry(make_practitioner, vocab):
    stroke = Condition.objects.get(slug="stroke")
    cupping = Therapy.objects.get(slug="cupping")
    person = make_practitioner(
        "Ana",
        (37.78, -122.41),
        (34.05, -118.25),
        conditions=(stroke,),
        therapies=(cupping,),
        languages=["English", "Spanish"],
        telehealth=True,
    )
    assert entries(person) == [
        (34.05, -118.25, "Ana", True, f"|{stroke.pk}|", f"|{cupping.pk}|", "|english|spanish|"),
        (37.78, -122.41, "Ana", True, f"|{stroke.pk}|", f"|{cupping.pk}|", "|english|spanish|"),
    ]
    assert {e.latitude_band for e in ListingEntry.objects.all()} == {
        latitude_band(37.78),
        latitude_band(34.05),
    }


def test_edits_to_the_profile_its_locations_and_its_vocabulary_are_followed(
    make_practitioner, vocab
):
    stroke = Condition.objects.get(slug="stroke")
    person = make_practitioner("Ana", (37.78, -122.41))
    person.name, person.telehealth = "Ana Lopez", True
    person.conditions.add(stroke)  # parental many-to-many: written by save(), as in the admin
    person.save()
    clinic = Location.objects.create(
        practitioner=person, city="Oakland", latitude=37.8, longitude=-122.27
    )
    assert [e[:5] for e in entries(person)] == [
        (37.78, -122.41, "Ana Lopez", True, f"|{stroke.pk}|"),
        (37.8, -122.27, "Ana Lopez", True, f"|{stroke.pk}|"),
    ]
    clinic.delete()
    stroke.practitioners.clear()  # from the condition's side
    assert [e[:5] for e in entries(person)] == [(37.78, -122.41, "Ana Lopez", True, "")]


def test_unpublishing_or_deleting_a_practitioner_removes_their_entries(make_practitioner):
    hidden = make_practitioner("Hidden", (37.78, -122.41), (37.8, -122.27))
    gone = make_practitioner("Gone", (37.78, -122.41))
    hidden.is_published = False
    hidden.save()
    gone.delete()
    assert ListingEntry.objects.count() == 0


def test_a_practitioner_without_a_location_has_one_entry_without_coordinates(make_practitioner):
    person = make_practitioner("Telehealth Only", telehealth=True)
    assert entries(person) == [(None, None, "Telehealth Only", True, "", "", "")]


def test_licence_changes_move_the_badge_date(make_practitioner, make_licence):
    person = make_practitioner("Ana", (37.78, -122.41))
    licence = make_licence(person, "AC 1", expires_in_days=30, verified_days_ago=10)
    entry = ListingEntry.objects.get(practitioner=person)
    assert entry.badge_until == licence.expires_on  # expiry comes before the year runs out
    licence.status = Licence.Status.SUSPENDED
    licence.save()
    assert ListingEntry.objects.get(practitioner=person).badge_until is None


def test_the_badge_date_is_the_last_day_any_active_licence_is_verified_and_unexpired():
    year_end, summer = dt.date(2027, 12, 31), dt.date(2027, 6, 30)

    def licence(status: str, expires_on: dt.date | None, verified_until: dt.date | None):
        return Licence(status=status, expires_on=expires_on, verified_until=verified_until)

    assert badge_until([]) is None
    assert badge_until([licence("active", None, year_end)]) == year_end
    assert badge_until([licence("active", summer, year_end)]) == summer
    assert (
        badge_until([licence("active", None, None), licence("suspended", None, year_end)]) is None
    )
    assert (
        badge_until([licence("active", summer, year_end), licence("active", None, summer)])
        == summer
    )
    assert (
        badge_until([licence("active", year_end, year_end), licence("active", None, summer)])
        == year_end
    )


def test_a_rebuild_reproduces_what_the_signals_kept_and_restores_lost_entries(
    make_practitioner, make_licence, vocab
):
    stroke = Condition.objects.get(slug="stroke")
    for i in range(5):
        person = make_practitioner(f"P{i}", (37.7 + i / 100, -122.4), conditions=(stroke,))
        make_licence(person, f"AC {i}", verified_days_ago=i * 100)
    kept = snapshot()
    ListingEntry.objects.filter(practitioner__name__in=["P1", "P3"]).delete()
    assert sum(list(listing_entries_rebuild(batch_size=2))) == 5
    assert snapshot() == kept
    ListingEntry.objects.all().delete()
    out = io.StringIO()
    call_command("directory", "reindex", stdout=out)
    assert snapshot() == kept
    assert "5 listing entries for 5 practitioner(s)." in out.getvalue()


def test_the_verified_filter_needs_no_refresh_when_a_date_passes(make_practitioner, make_licence):
    person = make_practitioner("Ana", (37.78, -122.41))
    make_licence(person, "AC 1", expires_in_days=0)
    today = timezone.localdate()
    assert ListingEntry.objects.filter(badge_until__gte=today).exists()
    assert not ListingEntry.objects.filter(badge_until__gte=today + dt.timedelta(days=1)).exists()


def test_migrate_builds_the_entries_of_a_directory_that_has_none(make_practitioner):
    make_practitioner("Ana", (37.78, -122.41))
    kept = snapshot()
    ListingEntry.objects.all().delete()  # as after upgrading to the release with the table
    listing_entries_build_if_missing()
    assert snapshot() == kept
