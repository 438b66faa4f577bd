"""Practitioners sign up, claim a profile, edit it and its locations, submit a licence, and take
or delete their data."""

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
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from acuevidence.directory.models import (
    Licence,
    ListingEntry,
    Location,
    Practitioner,
    VerificationEvent,
    VerificationRequest,
)
from acuevidence.directory.places import place_from_city, place_from_zip
from acuevidence.directory.services import request_resolve
from acuevidence.evidence.geo import KM_PER_MILE, haversine_km
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


# --- Practice locations --------------------------------------------------------------

PORTLAND_CLINIC = {
    "name": "Pearl Acupuncture",
    "address": "1 NW Couch St",
    "city": "Portland",
    "region": "OR",
    "postal_code": "97209",
    "country": "US",
    "latitude": "",
    "longitude": "",
}


def search(client, place: str, radius: int = 10) -> str:
    return client.get(
        reverse("practitioner-list"), {"place": place, "radius": radius}
    ).content.decode()


def test_owner_adds_a_location_by_zip_and_the_search_finds_them_there(client, owner):
    assert "Olive Owner" not in search(client, "97232")
    client.force_login(owner)
    response = client.post(reverse("directory-location-add"), PORTLAND_CLINIC)
    assert response.status_code == 302 and response["Location"] == reverse("directory-account")

    practitioner = Practitioner.objects.get(user=owner)
    location = practitioner.locations.get(name="Pearl Acupuncture")
    centroid = place_from_zip("97209")
    assert (location.latitude, location.longitude) == (centroid.latitude, centroid.longitude)
    assert (location.city, location.region, location.country) == ("Portland", "OR", "US")
    assert ListingEntry.objects.filter(practitioner=practitioner).count() == 2

    origin = place_from_zip("97232")
    miles = haversine_km(origin.latitude, origin.longitude, centroid.latitude, centroid.longitude)
    html = search(client, "97232")
    assert "Olive Owner" in html
    assert f"<strong>{floatformat(miles / KM_PER_MILE, 1)} miles</strong> away: {location}" in html
    assert "1 NW Couch St" in client.get(practitioner.get_absolute_url()).content.decode()
    assert "Pearl Acupuncture" in client.get(reverse("directory-account")).content.decode()


def test_owner_edits_a_location_by_city_or_exact_coordinates(client, owner):
    client.force_login(owner)
    location = Practitioner.objects.get(user=owner).locations.get()
    edit = reverse("directory-location-edit", args=[location.pk])
    page = client.get(edit).content.decode()
    assert 'value="Town 1"' in page and "37.7700, -122.4200" in page

    moved = {**PORTLAND_CLINIC, "name": "Berkeley Clinic", "city": "Berkeley", "region": "CA"}
    moved["postal_code"] = ""
    assert client.post(edit, moved).status_code == 302
    location.refresh_from_db()
    berkeley = place_from_city("Berkeley, CA")
    assert (location.latitude, location.longitude) == (berkeley.latitude, berkeley.longitude)
    assert "Olive Owner" in search(client, "Berkeley, CA", radius=5)

    exact = {**moved, "latitude": "37.8716", "longitude": "-122.2727"}
    assert client.post(edit, exact).status_code == 302
    location.refresh_from_db()
    assert (location.latitude, location.longitude) == (37.8716, -122.2727)
    # An edit that leaves the city, state, postal code and country alone keeps the coordinates.
    assert client.post(edit, {**moved, "name": "Berkeley Clinic West"}).status_code == 302
    location.refresh_from_db()
    assert location.name == "Berkeley Clinic West"
    assert (location.latitude, location.longitude) == (37.8716, -122.2727)

    abroad = {**moved, "city": "Toronto", "region": "Ontario", "country": "CA"}
    assert client.post(edit, abroad).status_code == 302
    location.refresh_from_db()
    assert location.country == "CA" and round(location.latitude) == 44  # Toronto, not California


def test_owner_removes_a_location_and_the_search_forgets_it(client, owner):
    client.force_login(owner)
    location = Practitioner.objects.get(user=owner).locations.get()
    delete = reverse("directory-location-delete", args=[location.pk])
    assert "Remove the location" in client.get(delete).content.decode()
    assert "Olive Owner" in search(client, "94103")
    response = client.post(delete)
    assert response.status_code == 302
    assert not Location.objects.filter(pk=location.pk).exists()
    assert "Olive Owner" not in search(client, "94103")
    assert "No practice location yet" in client.get(reverse("directory-account")).content.decode()


def test_an_unknown_zip_or_city_shows_the_field_error_and_saves_nothing(client, owner):
    client.force_login(owner)
    before = list(Location.objects.values_list("pk", "latitude", "longitude"))
    response = client.post(
        reverse("directory-location-add"), {**PORTLAND_CLINIC, "postal_code": "00000"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["postal_code"] == [
        "We do not know the ZIP code 00000. Check the postal code, or leave it empty to place "
        "the clinic by its city."
    ]
    assert "We do not know the ZIP code 00000" in response.content.decode()

    unknown_city = {**PORTLAND_CLINIC, "postal_code": "", "city": "Atlantisville"}
    response = client.post(reverse("directory-location-add"), unknown_city)
    assert "Atlantisville" in response.context["form"].errors["city"][0]

    location = Location.objects.get(practitioner__user=owner)
    edit = reverse("directory-location-edit", args=[location.pk])
    response = client.post(edit, {**PORTLAND_CLINIC, "postal_code": "9720"})
    assert "not a US ZIP code" in response.context["form"].errors["postal_code"][0]
    response = client.post(edit, {**PORTLAND_CLINIC, "latitude": "45.5"})
    assert response.context["form"].errors["longitude"]
    response = client.post(edit, {**PORTLAND_CLINIC, "latitude": "95", "longitude": "1"})
    assert response.context["form"].errors["latitude"]
    assert list(Location.objects.values_list("pk", "latitude", "longitude")) == before


def test_a_profile_lists_a_limited_number_of_locations(client, owner, settings):
    settings.DIRECTORY_MAX_LOCATIONS = 2
    client.force_login(owner)
    assert client.post(reverse("directory-location-add"), PORTLAND_CLINIC).status_code == 302
    assert (
        "You list the most locations" in client.get(reverse("directory-account")).content.decode()
    )
    response = client.post(reverse("directory-location-add"), PORTLAND_CLINIC)
    assert "at most 2 practice locations" in response.content.decode()
    assert Location.objects.filter(practitioner__user=owner).count() == 2


def test_only_the_owner_can_change_a_location(client, owner, other_practitioner):
    location = Location.objects.get(practitioner__user=owner)
    edit = reverse("directory-location-edit", args=[location.pk])
    delete = reverse("directory-location-delete", args=[location.pk])
    changed = {**PORTLAND_CLINIC, "name": "Hijacked"}

    for method, url, data in (("get", edit, None), ("post", edit, changed), ("post", delete, None)):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("directory-login"))

    client.force_login(other_practitioner)
    assert client.get(edit).status_code == 404
    assert client.post(edit, changed).status_code == 404
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404
    location.refresh_from_db()
    assert location.name == "Olive Owner clinic 1"


def test_location_forms_need_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    location = Location.objects.get(practitioner__user=owner)
    assert client.post(reverse("directory-location-add"), PORTLAND_CLINIC).status_code == 403
    delete = reverse("directory-location-delete", args=[location.pk])
    assert client.post(delete).status_code == 403
    assert Location.objects.filter(practitioner__user=owner).count() == 1
