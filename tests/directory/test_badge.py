"""The verified badge: one rule for profiles and the search filter, kept as a date per licence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from acuevidence.directory.models import VERIFICATION_VALID_FOR, Licence, VerificationEvent
from acuevidence.directory.places import Place
from acuevidence.directory.selectors import SearchCriteria, practitioner_search, search_hits
from acuevidence.directory.services import licence_verify

pytestmark = pytest.mark.django_db

Result = VerificationEvent.Result
SF = Place("San Francisco", 37.7725, -122.4147)


def verified_names() -> list[str]:
    criteria = SearchCriteria(origin=SF, radius=10, verified_only=True)
    rows = list(practitioner_search(criteria=criteria))
    return [hit.practitioner.name for hit in search_hits(rows=rows, criteria=criteria)]


def test_the_badge_lasts_a_year_from_the_latest_successful_verification(
    make_practitioner, make_licence
):
    licence = make_licence(make_practitioner("Ana", (37.78, -122.41)), "AC 1", verified_days_ago=10)
    performed = licence.latest_verification().performed_at
    assert licence.verified_until == timezone.localdate(performed) + VERIFICATION_VALID_FOR
    assert licence.is_verified(today=licence.verified_until)
    assert not licence.is_verified(today=licence.verified_until + dt.timedelta(days=1))


def test_a_later_failed_check_removes_the_badge_and_a_back_dated_one_does_not(
    make_practitioner, make_licence
):
    licence = make_licence(make_practitioner("Ana", (37.78, -122.41)), "AC 1", verified_days_ago=10)
    licence_verify(
        licence=licence,
        method=VerificationEvent.Method.PRIMARY_SOURCE,
        result=Result.MISMATCH,
        performed_by=None,
        at=timezone.now() - dt.timedelta(days=30),  # entered late: older than the success
    )
    licence.refresh_from_db()
    assert licence.is_verified() and verified_names() == ["Ana"]

    licence_verify(
        licence=licence,
        method=VerificationEvent.Method.PRIMARY_SOURCE,
        result=Result.MISMATCH,
        performed_by=None,
    )
    licence.refresh_from_db()
    assert licence.verified_until is None
    assert not licence.is_verified() and verified_names() == []


def test_a_stale_verification_leaves_the_search_filter_by_date_alone(
    make_practitioner, make_licence
):
    make_licence(make_practitioner("Stale", (37.78, -122.41)), "AC 1", verified_days_ago=366)
    make_licence(make_practitioner("Fresh", (37.78, -122.41)), "AC 2", verified_days_ago=364)
    assert verified_names() == ["Fresh"]  # before any expiry run


@pytest.mark.django_db(transaction=True)
def test_the_migration_sets_the_badge_date_from_existing_events():
    executor = MigrationExecutor(connection)
    before = [("directory", "0004_search_indexes")]
    after = [("directory", "0005_licence_verified_until")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldLicence = old.get_model("directory", "Licence")
    OldEvent = old.get_model("directory", "VerificationEvent")
    practitioner = old.get_model("directory", "Practitioner").objects.create(name="P", slug="p")
    verified = OldLicence.objects.create(practitioner=practitioner, board="B", number="1")
    failed = OldLicence.objects.create(practitioner=practitioner, board="B", number="2")
    OldLicence.objects.create(practitioner=practitioner, board="B", number="3")
    when = timezone.now() - dt.timedelta(days=20)
    OldEvent.objects.create(licence=verified, method="roster", result="verified", performed_at=when)
    OldEvent.objects.create(licence=failed, method="roster", result="verified", performed_at=when)
    OldEvent.objects.create(licence=failed, method="roster", result="not_found")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    until = dict(Licence.objects.values_list("number", "verified_until"))
    assert until == {
        "1": timezone.localdate(when) + VERIFICATION_VALID_FOR,
        "2": None,
        "3": None,
    }
