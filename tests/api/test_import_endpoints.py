"""Editors submit identifiers or files for import with a token; nobody else can."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import APIToken

from acuevidence.api.models import ImportRequest
from acuevidence.api.services import ImportRejected, identifier_parse

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/identifier/"


@pytest.fixture
def editor_token(editor) -> str:
    return APIToken.create_token(user=editor, name="tests")[1]


@pytest.fixture
def reader_token(django_user_model) -> str:
    reader = django_user_model.objects.create_user(username="reader", password="x")
    return APIToken.create_token(user=reader, name="tests")[1]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("40048119", ("pmid", "40048119")),
        ("PMID: 40048119", ("pmid", "40048119")),
        (" nct05230628 ", ("nct", "NCT05230628")),
    ],
)
def test_identifiers_are_recognised_and_normalized(given, expected):
    assert identifier_parse(given) == expected


@pytest.mark.parametrize("given", ["", "NCT123", "doi:10.1/x", "1234567890"])
def test_other_identifiers_are_rejected(given):
    with pytest.raises(ImportRejected):
        identifier_parse(given)


def test_without_a_token_the_import_is_refused(client, editor):
    response = client.post(URL, {"identifier": "40048119"}, content_type="application/json")
    assert response.status_code == 401
    assert not ImportRequest.objects.exists()


def test_a_token_of_a_user_who_is_not_an_editor_is_refused(client, reader_token):
    response = client.post(
        URL, {"identifier": "40048119"}, content_type="application/json", **bearer(reader_token)
    )
    assert response.status_code == 401


def test_a_revoked_token_is_refused(client, editor):
    token, secret = APIToken.create_token(user=editor, name="old")
    token.revoke()
    response = client.post(
        URL, {"identifier": "40048119"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 401


def test_an_editor_queues_an_identifier(client, editor, editor_token):
    response = client.post(
        URL, {"identifier": "NCT05230628"}, content_type="application/json", **bearer(editor_token)
    )
    assert response.status_code == 202
    data = response.json()
    assert (data["kind"], data["identifier"]) == ("nct", "NCT05230628")
    stored = ImportRequest.objects.get(pk=data["id"])
    assert stored.submitted_by == editor
    status = client.get(f"/api/v1/imports/{data['id']}/", **bearer(editor_token)).json()
    assert status["state"] == stored.state == "queued"  # processing starts after commit


def test_a_bad_identifier_is_400_and_nothing_is_stored(client, editor_token):
    response = client.post(
        URL, {"identifier": "hello"}, content_type="application/json", **bearer(editor_token)
    )
    assert response.status_code == 400
    assert "neither a PubMed id" in response.json()["detail"]
    assert not ImportRequest.objects.exists()


def test_an_editor_uploads_a_file(client, editor_token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("trials.ris", b"TY  - JOUR\nTI  - A trial\nER  - \n")
    response = client.post("/api/v1/imports/file/", {"file": upload}, **bearer(editor_token))
    assert response.status_code == 202
    stored = ImportRequest.objects.get(pk=response.json()["id"])
    assert stored.original_filename == "trials.ris"
    assert stored.file.read().startswith(b"TY  - JOUR")


def test_an_unsupported_file_type_is_400(client, editor_token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("notes.exe", b"MZ")
    response = client.post("/api/v1/imports/file/", {"file": upload}, **bearer(editor_token))
    assert response.status_code == 400
    assert "unsupported type" in response.json()["detail"]
