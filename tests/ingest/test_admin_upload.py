"""The admin upload screen runs the same import and shows the same report."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acuevidence.research.models import Study

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def test_an_editor_uploads_a_file_and_reads_the_report(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("malformed.xml", (FIXTURES / "pubmed_malformed.xml").read_bytes())
    response = client.post(
        reverse("ingest_upload"), {"format": "pubmed", "file": upload}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Records not imported" in html
    assert "impossible date 2022-02-30" in html
    assert Study.objects.count() == 2


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("ingest_upload"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_logged_in_user_without_editor_rights_cannot_upload(client, django_user_model):
    reader = django_user_model.objects.create_user(username="reader", password="x")
    client.force_login(reader)
    assert client.get(reverse("ingest_upload")).status_code in (302, 403)
    assert client.post(reverse("ingest_upload"), {"format": "pubmed"}).status_code in (302, 403)


def test_an_empty_upload_is_refused_with_a_reason(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("empty.xml", b"")
    response = client.post(reverse("ingest_upload"), {"format": "pubmed", "file": upload})
    assert "The submitted file is empty." in response.content.decode()
    assert not Study.objects.exists()
