"""Roster import: match by number then name, auto-verify exact, queue near, lapse the absent."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from acuevidence.directory.models import Licence, VerificationEvent, VerificationRequest
from acuevidence.directory.roster import (
    BadRow,
    RosterError,
    RosterMapping,
    mapping_for,
    read_roster,
)
from tests.directory.conftest import BOARD

pytestmark = pytest.mark.django_db

HEADER = "License Number,First Name,Middle Name,Last Name,License Status,Expiration Date\n"


def run(tmp_path, text: str, *extra: str) -> str:
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "directory", "import-roster", str(path), "--board", "california", *extra, stdout=out
    )
    return out.getvalue()


def latest(licence: Licence) -> VerificationEvent:
    return licence.verifications.order_by("-performed_at").first()


def test_exact_number_and_name_verify_automatically_and_update_expiry(
    tmp_path, make_practitioner, make_licence
):
    person = make_practitioner("Ana Lopez", (37.7, -122.4))
    licence = make_licence(person, "AC 12345", verified_days_ago=None)
    report = run(tmp_path, "ac-12345,Ana,,Lopez,CURRENT,03/31/2028\n")
    licence.refresh_from_db()
    assert licence.is_verified()
    assert str(licence.expires_on) == "2028-03-31"
    event = latest(licence)
    assert event.method == VerificationEvent.Method.ROSTER
    assert "line 2" in event.evidence_note
    assert "verified" in report


def test_same_number_with_a_near_name_queues_for_staff_without_verifying(
    tmp_path, make_practitioner, make_licence
):
    person = make_practitioner("Ana Lopez", (37.7, -122.4))
    licence = make_licence(person, "AC 12345", verified_days_ago=None)
    run(tmp_path, "AC12345,Anna,,Lopez,CURRENT,03/31/2028\n")
    assert not licence.is_verified()
    request = VerificationRequest.objects.get(licence=licence)
    assert request.kind == VerificationRequest.Kind.ROSTER_MATCH
    assert request.details["name"] == "Anna Lopez"
    assert 85 <= request.score < 100


def test_a_name_match_with_another_number_queues_and_approval_corrects_the_number(
    tmp_path, make_practitioner, make_licence, staff
):
    from acuevidence.directory.services import request_resolve

    person = make_practitioner("Benjamin Okafor", (37.7, -122.4))
    licence = make_licence(person, "AC 55555", verified_days_ago=None)
    run(tmp_path, "AC 55556,Benjamin,,Okafor,CURRENT,01/01/2029\n")
    request = VerificationRequest.objects.get(licence=licence)
    request_resolve(request=request, staff=staff, approve=True)
    licence.refresh_from_db()
    assert licence.number == "AC 55556"
    assert licence.is_verified()
    assert latest(licence).performed_by == staff


def test_importing_twice_does_not_queue_the_same_near_match_twice(
    tmp_path, make_practitioner, make_licence
):
    person = make_practitioner("Ana Lopez", (37.7, -122.4))
    make_licence(person, "AC 12345", verified_days_ago=None)
    run(tmp_path, "AC12345,Anna,,Lopez,CURRENT,03/31/2028\n")
    run(tmp_path, "AC12345,Anna,,Lopez,CURRENT,03/31/2028\n")
    assert VerificationRequest.objects.count() == 1


def test_a_verified_licence_missing_from_the_roster_loses_verification_and_is_told(
    tmp_path, make_practitioner, make_licence
):
    kept = make_licence(make_practitioner("Ana Lopez", (37.7, -122.4)), "AC 1")
    gone = make_licence(
        make_practitioner("Carl Diaz", (37.7, -122.4), email="carl@example.org"), "AC 2"
    )
    report = run(tmp_path, "AC 1,Ana,,Lopez,CURRENT,03/31/2028\n")
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.is_verified()
    assert not gone.is_verified()
    assert latest(gone).result == VerificationEvent.Result.NOT_FOUND
    assert "no longer on roster" in report
    assert [m.to for m in mail.outbox] == [["carl@example.org"]]


def test_a_roster_status_not_in_good_standing_removes_the_badge(
    tmp_path, make_practitioner, make_licence
):
    licence = make_licence(make_practitioner("Ana Lopez", (37.7, -122.4)), "AC 1")
    run(tmp_path, "AC 1,Ana,,Lopez,DELINQUENT,03/31/2028\n")
    licence.refresh_from_db()
    assert not licence.is_verified()
    assert latest(licence).result == VerificationEvent.Result.LAPSED


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_imports(
    tmp_path, make_practitioner, make_licence
):
    licence = make_licence(
        make_practitioner("Ana Lopez", (37.7, -122.4)), "AC 1", verified_days_ago=None
    )
    report = run(
        tmp_path,
        ",Nobody,,Here,CURRENT,01/01/2029\n"
        "AC 9,Date,,Wrong,CURRENT,2029-31-31\n"
        "AC 1,Ana,,Lopez,CURRENT,01/01/2029\n",
    )
    licence.refresh_from_db()
    assert licence.is_verified()
    assert set(re.findall(r"│ (\d+)\s+│ bad row", report)) == {"2", "3"}
    assert "no licence number" in report and "2029-31-31" in report
    assert "bad row: 2" in report


def test_a_file_with_no_readable_row_changes_nothing(tmp_path, make_practitioner, make_licence):
    licence = make_licence(make_practitioner("Ana Lopez", (37.7, -122.4)), "AC 1")
    with pytest.raises(CommandError, match="nothing was changed"):
        run(tmp_path, ",,,,,\n")
    assert licence.is_verified()


def test_dry_run_reports_but_saves_nothing(tmp_path, make_practitioner, make_licence):
    licence = make_licence(
        make_practitioner("Ana Lopez", (37.7, -122.4)), "AC 1", verified_days_ago=None
    )
    report = run(tmp_path, "AC 1,Ana,,Lopez,CURRENT,01/01/2029\n", "--dry-run")
    assert "verified" in report and "dry run" in report
    assert not licence.is_verified()


def test_a_missing_column_names_the_column(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("Number,Name\nAC 1,Ana Lopez\n", encoding="utf-8")
    with pytest.raises(CommandError, match="'License Number'"):
        call_command("directory", "import-roster", str(path), "--board", BOARD)


def test_boards_without_a_mapping_use_the_generic_columns():
    mapping = mapping_for("Hawaii Board of Acupuncture", {"*": {"number": "n", "name": "nm"}})
    assert mapping.board == "Hawaii Board of Acupuncture"
    with pytest.raises(RosterError, match="known boards"):
        mapping_for("Nowhere", {"X": {"number": "n", "name": "nm"}})


def test_a_row_with_too_many_fields_is_a_bad_row():
    mapping = RosterMapping(board="B", number="n", name=("name",))
    rows = list(read_roster(io.StringIO("n,name\nA1,Ana,extra\n"), mapping))
    assert rows == [BadRow(2, "3 fields, header has 2")]
