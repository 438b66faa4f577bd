"""Practitioners sign up, claim a profile, edit it, submit a licence, and take or delete their data."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from acuevidence.directory.models import (
    Licence,
    Practitioner,
    VerificationEvent,
    VerificationRequest,
)
from acuevidence.directory.services import request_resolve
from tests.directory.conftest import BOARD, PASSWORD

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body)[1]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.DIRECTORY_PRIVATE_DIR = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "private"


def test_sign_up_needs_the_emailed_confirmation_before_sign_in(client):
    response = client.post(
        reverse("directory-signup"),
        {"full_name": "Pat Practitioner", "email": "Pat@Example.org", "password": PASSWORD},
    )
    assert "We sent a link to" in response.content.decode()
    user = get_user_model().objects.get(username="pat@example.org")
    assert not user.is_active
    assert not client.login(username="pat@example.org", password=PASSWORD)
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    response = client.get(link_in(message))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("directory-account")).status_code == 200


def test_a_tampered_confirmation_link_is_refused(client):
    response = client.get(reverse("directory-signup-confirm", args=["not-a-token"]))
    assert response.status_code == 400
    assert "invalid or has expired" in response.content.decode()


def test_claim_by_licence_number_sends_a_link_to_the_address_on_record(
    client, make_practitioner, make_licence
):
    imported = make_practitioner("Imported Ida", (37.7, -122.4), email="ida@clinic.example")
    make_licence(imported, "AC 777")
    user = get_user_model().objects.create_user("ida@new.example", "ida@new.example", PASSWORD)
    client.force_login(user)
    response = client.post(reverse("directory-claim"), {"board": BOARD, "number": "ac777"})
    assert "address on record" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["ida@clinic.example"]
    client.get(link_in(message))
    imported.refresh_from_db()
    assert imported.user == user


def test_a_claim_link_only_works_for_the_account_that_asked(
    client, make_practitioner, make_licence
):
    imported = make_practitioner("Imported Ida", (37.7, -122.4), email="ida@clinic.example")
    make_licence(imported, "AC 777")
    asker = get_user_model().objects.create_user("a@example.org", "a@example.org", PASSWORD)
    thief = get_user_model().objects.create_user("t@example.org", "t@example.org", PASSWORD)
    client.force_login(asker)
    client.post(reverse("directory-claim"), {"board": BOARD, "number": "AC 777"})
    client.force_login(thief)
    assert client.get(link_in(mail.outbox[0])).status_code == 400
    imported.refresh_from_db()
    assert imported.user is None


def test_a_claim_without_an_address_on_record_waits_for_staff(
    client, make_practitioner, make_licence, staff
):
    imported = make_practitioner("No Mail", (37.7, -122.4))
    make_licence(imported, "AC 778")
    user = get_user_model().objects.create_user("n@example.org", "n@example.org", PASSWORD)
    client.force_login(user)
    response = client.post(reverse("directory-claim"), {"board": BOARD, "number": "AC 778"})
    assert "Staff will check your claim" in response.content.decode()
    request = VerificationRequest.objects.get(kind=VerificationRequest.Kind.CLAIM)
    request_resolve(request=request, staff=staff, approve=True)
    imported.refresh_from_db()
    assert imported.user == user
    assert mail.outbox[-1].to == ["n@example.org"]


def test_a_managed_profile_cannot_be_claimed_again(client, owner, make_licence):
    make_licence(Practitioner.objects.get(user=owner), "AC 900")
    intruder = get_user_model().objects.create_user("i@example.org", "i@example.org", PASSWORD)
    client.force_login(intruder)
    response = client.post(reverse("directory-claim"), {"board": BOARD, "number": "AC 900"})
    assert "already managed" in response.content.decode()
    assert mail.outbox == []


def test_owner_edits_their_own_profile(client, owner, vocab):
    client.force_login(owner)
    response = client.post(
        reverse("directory-profile-edit"),
        {
            "name": "Olive Owner",
            "credentials": "L.Ac.",
            "bio": "New bio.",
            "telehealth": "on",
            "website": "https://olive.example",
            "email": "olive@example.org",
            "therapies": [],
            "conditions": [],
            "languages_text": "English, Portuguese",
            "insurance_text": "",
        },
    )
    assert response.status_code == 302
    practitioner = Practitioner.objects.get(user=owner)
    assert practitioner.bio == "New bio."
    assert practitioner.languages == ["English", "Portuguese"]
    assert practitioner.telehealth


def test_licence_submission_stores_the_document_privately_and_queues_it(
    client, owner, private_dir, staff
):
    client.force_login(owner)
    response = client.post(
        reverse("directory-licence-submit"),
        {
            "jurisdiction": "California",
            "board": BOARD,
            "number": "AC 4242",
            "licence_type": "Licensed Acupuncturist",
            "expires_on": (timezone.localdate() + dt.timedelta(days=300)).isoformat(),
            "document": SimpleUploadedFile("scan.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    request = VerificationRequest.objects.get(kind=VerificationRequest.Kind.DOCUMENT)
    stored = private_dir / request.document.name
    assert stored.read_bytes() == PNG
    with pytest.raises(ValueError):
        request.document.url  # noqa: B018 - no public URL exists
    licence = Licence.objects.get(number="AC 4242")
    assert not licence.is_verified()
    dashboard = client.get(reverse("directory-account")).content.decode()
    assert "Licence document submitted" in dashboard and "open" in dashboard
    request_resolve(request=request, staff=staff, approve=True, note="Checked the scan.")
    licence.refresh_from_db()
    assert licence.is_verified()
    assert licence.latest_verification().method == VerificationEvent.Method.DOCUMENT


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("licence.pdf", b"MZ\x90\x00 not a pdf", "PDF, JPEG or PNG"),
        ("licence.png", b"GIF89a" + b"\x00" * 20, "PDF, JPEG or PNG"),
        ("big.pdf", PDF + b"\x00" * 2048, "the limit is"),
    ],
)
def test_licence_documents_are_checked_by_content_and_size(
    client, owner, settings, name, content, error
):
    settings.DIRECTORY_UPLOAD_MAX_BYTES = 1024
    client.force_login(owner)
    response = client.post(
        reverse("directory-licence-submit"),
        {
            "jurisdiction": "California",
            "board": BOARD,
            "number": "AC 4243",
            "licence_type": "Licensed Acupuncturist",
            "document": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not VerificationRequest.objects.exists()


def test_staff_download_the_document_and_nobody_else_can(client, owner, staff, other_practitioner):
    client.force_login(owner)
    client.post(
        reverse("directory-licence-submit"),
        {
            "jurisdiction": "California",
            "board": BOARD,
            "number": "AC 4244",
            "licence_type": "Licensed Acupuncturist",
            "document": SimpleUploadedFile("l.pdf", PDF, content_type="application/pdf"),
        },
    )
    request = VerificationRequest.objects.get()
    url = reverse("directory_queue_document", args=[request.pk])
    assert client.get(url).status_code in (302, 403)  # the owner is not staff
    client.force_login(other_practitioner)
    assert client.get(url).status_code in (302, 403)
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]


def test_staff_work_the_queue_in_the_admin(client, staff, make_practitioner, make_licence):
    person = make_practitioner("Ana Lopez", (37.7, -122.4))
    licence = make_licence(person, "AC 12", verified_days_ago=None)
    request = VerificationRequest.objects.create(
        kind=VerificationRequest.Kind.ROSTER_MATCH,
        practitioner=person,
        licence=licence,
        details={"source": "roster.csv", "line": 7, "number": "AC 12", "name": "Anna Lopez"},
        score=91,
    )
    client.force_login(staff)
    page = client.get(reverse("directory_queue")).content.decode()
    assert "Near match on a board roster: Ana Lopez" in page and "91 / 100" in page
    response = client.post(
        reverse("directory_queue_resolve", args=[request.pk]),
        {"decision": "approve", "note": "Same person, nickname."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == VerificationRequest.Status.APPROVED
    assert request.resolved_by == staff
    licence.refresh_from_db()
    assert licence.is_verified()
    assert "roster.csv, line 7" in licence.latest_verification().evidence_note


def test_download_own_data_as_json(client, owner, make_licence):
    make_licence(Practitioner.objects.get(user=owner), "AC 31")
    client.force_login(owner)
    response = client.get(reverse("directory-data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "owner@example.org"
    assert data["profile"]["name"] == "Olive Owner"
    assert data["profile"]["email"] == "olive@example.org"
    assert data["profile"]["licences"][0]["number"] == "AC 31"
    assert data["profile"]["licences"][0]["verifications"][0]["result"] == "verified"


def test_delete_own_data_removes_account_profile_and_documents(
    client, owner, private_dir, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    client.post(
        reverse("directory-licence-submit"),
        {
            "jurisdiction": "California",
            "board": BOARD,
            "number": "AC 4245",
            "licence_type": "Licensed Acupuncturist",
            "document": SimpleUploadedFile("l.pdf", PDF, content_type="application/pdf"),
        },
    )
    stored = private_dir / VerificationRequest.objects.get().document.name
    assert stored.exists()
    refused = client.post(reverse("directory-delete"), {"confirm": "no"})
    assert refused.status_code == 302 and Practitioner.objects.filter(user=owner).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory-delete"), {"confirm": "delete"})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(pk=owner.pk).exists()
    assert not Practitioner.objects.filter(name="Olive Owner").exists()
    assert not VerificationRequest.objects.exists()
    assert not stored.exists()


def test_expire_lapses_expired_and_stale_licences_and_notifies(make_practitioner, make_licence):
    expired = make_licence(
        make_practitioner("Expired Ed", (37.7, -122.4), email="ed@example.org"),
        "AC 1",
        expires_in_days=-1,
    )
    stale = make_licence(
        make_practitioner("Stale Sue", (37.7, -122.4), email="sue@example.org"),
        "AC 2",
        verified_days_ago=400,
    )
    current = make_licence(make_practitioner("Current Cy", (37.7, -122.4)), "AC 3")
    call_command("directory", "expire", stdout=io.StringIO())
    expired.refresh_from_db()
    assert expired.status == Licence.Status.EXPIRED
    assert expired.latest_verification().method == VerificationEvent.Method.EXPIRY
    assert stale.latest_verification().result == VerificationEvent.Result.LAPSED
    assert current.is_verified()
    assert sorted(m.to[0] for m in mail.outbox) == ["ed@example.org", "sue@example.org"]
    call_command("directory", "expire", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # idempotent


def test_the_badge_goes_when_the_licence_expires(client, make_practitioner, make_licence):
    person = make_practitioner("Badge Bo", (37.7, -122.4))
    licence = make_licence(person, "AC 5", expires_in_days=0)
    assert "badge-verified" in client.get(person.get_absolute_url()).content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert not licence.is_verified(today=tomorrow)
    call_command("directory", "expire", "--today", tomorrow.isoformat(), stdout=io.StringIO())
    assert "badge-verified" not in client.get(person.get_absolute_url()).content.decode()
