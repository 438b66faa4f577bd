"""Who may open each directory URL: anonymous reader, another practitioner, the owner, staff.

"Owner" manages Olive Owner's profile; "other" manages a different profile; staff may
work the verification queue in the admin but manage no profile. Account pages
only ever show the signed-in account's own profile: there is no URL naming another.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acuevidence.directory.models import Location, Practitioner, VerificationRequest

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other", "owner", "staff")
LOGIN = "login"  # redirected to a sign-in page
OK, NOT_FOUND, FORBIDDEN = 200, 404, 403

# url name, needs (slug | request id | the owner's location id | nothing), expected status.
MATRIX = [
    ("practitioner-list", None, dict.fromkeys(ROLES, OK)),
    ("practitioner-detail", "slug", dict.fromkeys(ROLES, OK)),
    ("practitioner-contact", "slug", dict.fromkeys(ROLES, OK)),
    ("practitioner-report", "slug", dict.fromkeys(ROLES, OK)),
    ("directory-signup", None, dict.fromkeys(ROLES, OK)),
    ("directory-login", None, {"anonymous": OK, "other": 302, "owner": 302, "staff": 302}),
    ("directory-account", None, {"anonymous": LOGIN, "other": OK, "owner": OK, "staff": OK}),
    ("directory-claim", None, {"anonymous": LOGIN, "other": OK, "owner": OK, "staff": OK}),
    (
        "directory-profile-edit",
        None,
        {"anonymous": LOGIN, "other": OK, "owner": OK, "staff": NOT_FOUND},
    ),
    (
        "directory-licence-submit",
        None,
        {"anonymous": LOGIN, "other": OK, "owner": OK, "staff": NOT_FOUND},
    ),
    (
        "directory-location-add",
        None,
        {"anonymous": LOGIN, "other": OK, "owner": OK, "staff": NOT_FOUND},
    ),
    (
        "directory-location-edit",
        "location",
        {"anonymous": LOGIN, "other": NOT_FOUND, "owner": OK, "staff": NOT_FOUND},
    ),
    (
        "directory-location-delete",
        "location",
        {"anonymous": LOGIN, "other": NOT_FOUND, "owner": OK, "staff": NOT_FOUND},
    ),
    ("directory-data", None, {"anonymous": LOGIN, "other": OK, "owner": OK, "staff": OK}),
    ("directory-delete", None, {"anonymous": LOGIN, "other": OK, "owner": OK, "staff": OK}),
    ("directory_queue", None, {"anonymous": LOGIN, "other": LOGIN, "owner": LOGIN, "staff": OK}),
    (
        "directory_queue_document",
        "request",
        {"anonymous": LOGIN, "other": LOGIN, "owner": LOGIN, "staff": OK},
    ),
]


@pytest.fixture
def users(owner, other_practitioner, staff):
    return {"anonymous": None, "other": other_practitioner, "owner": owner, "staff": staff}


@pytest.fixture
def document_request(owner, settings, tmp_path):
    settings.DIRECTORY_PRIVATE_DIR = tmp_path
    practitioner = Practitioner.objects.get(user=owner)
    request = VerificationRequest(
        kind=VerificationRequest.Kind.DOCUMENT, practitioner=practitioner, requested_by=owner
    )
    request.document.save("l.pdf", SimpleUploadedFile("l.pdf", b"%PDF-1.4 x"), save=True)
    return request


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "needs", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_get_access(client, users, document_request, role, name, needs, expected):
    args = {
        None: [],
        "slug": [Practitioner.objects.get(user=users["owner"]).slug],
        "request": [document_request.pk],
        "location": [Location.objects.get(practitioner__user=users["owner"]).pk],
    }[needs]
    if users[role] is not None:
        client.force_login(users[role])
    response = client.get(reverse(name, args=args))
    status = response.status_code
    if status == 302:
        target = response["Location"]
        status = LOGIN if ("login" in target or "sign-in" in target) else 302
    assert status == expected[role], f"{role} GET {name}"


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_can_resolve_queue_items(client, users, document_request, role):
    if users[role] is not None:
        client.force_login(users[role])
    client.post(
        reverse("directory_queue_resolve", args=[document_request.pk]), {"decision": "reject"}
    )
    document_request.refresh_from_db()
    resolved = document_request.status != VerificationRequest.Status.OPEN
    assert resolved == (role == "staff")


def test_account_pages_show_only_the_signed_in_practitioners_own_profile(
    client, owner, other_practitioner
):
    client.force_login(other_practitioner)
    edit = client.get(reverse("directory-profile-edit")).content.decode()
    assert "Oscar Other" in edit and "Olive Owner" not in edit
    data = json.loads(client.get(reverse("directory-data")).content)
    assert data["profile"]["name"] == "Oscar Other"
    assert "olive@example.org" not in json.dumps(data)


def test_another_practitioner_cannot_change_the_owners_profile(client, owner, other_practitioner):
    client.force_login(other_practitioner)
    client.post(
        reverse("directory-profile-edit"),
        {"name": "Hacked", "languages_text": "", "insurance_text": ""},
    )
    assert Practitioner.objects.get(user=owner).name == "Olive Owner"
    assert Practitioner.objects.get(user=other_practitioner).name == "Hacked"


def test_delete_by_another_practitioner_only_deletes_their_own_data(
    client, owner, other_practitioner
):
    client.force_login(other_practitioner)
    client.post(reverse("directory-delete"), {"confirm": "delete"})
    assert Practitioner.objects.filter(user=owner).exists()
    assert not Practitioner.objects.filter(name="Oscar Other").exists()


def test_another_practitioner_cannot_change_or_remove_the_owners_location(
    client, owner, other_practitioner
):
    location = Location.objects.get(practitioner__user=owner)
    client.force_login(other_practitioner)
    edit = reverse("directory-location-edit", args=[location.pk])
    data = {"city": "Portland", "region": "OR", "postal_code": "97209", "country": "US"}
    assert client.post(edit, data).status_code == 404
    assert client.post(reverse("directory-location-delete", args=[location.pk])).status_code == 404
    assert Location.objects.filter(pk=location.pk, city="Town 1").exists()
