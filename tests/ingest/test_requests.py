"""API import requests run through the import pipeline against a local server."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from acuevidence.api.models import ImportRequest
from acuevidence.ingest.requests import file_format, import_request_process
from acuevidence.research.models import Study

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def test_a_pmid_request_imports_the_article_into_the_review_queue(apis, settings, editor):
    _, base = apis
    settings.ACUEVIDENCE_EUTILS_URL = base + "/entrez/eutils/"
    request = ImportRequest.objects.create(kind="pmid", identifier="39100001", submitted_by=editor)
    import_request_process(request.pk)
    request.refresh_from_db()
    assert request.state == ImportRequest.State.DONE, request.message
    assert request.study is not None
    assert not request.study.live


def test_an_nct_request_follows_the_registry(apis, settings, editor):
    _, base = apis
    settings.ACUEVIDENCE_CTGOV_URL = base + "/api/v2/"
    request = ImportRequest.objects.create(
        kind="nct", identifier="NCT05900013", submitted_by=editor
    )
    import_request_process(request.pk)
    request.refresh_from_db()
    assert request.state == ImportRequest.State.DONE, request.message
    assert Study.objects.get().registry_ids[0] == "NCT05900013"


def test_an_uploaded_file_is_parsed_by_its_type(settings, tmp_path, editor):
    settings.MEDIA_ROOT = tmp_path
    request = ImportRequest(kind="file", original_filename="trials.ris", submitted_by=editor)
    request.file.save("trials.ris", ContentFile((FIXTURES / "ris_zotero_crlf.ris").read_bytes()))
    import_request_process(request.pk)
    request.refresh_from_db()
    assert request.state == ImportRequest.State.DONE, request.message
    assert Study.objects.exists()


def test_an_unreachable_source_fails_the_request_with_advice(settings, editor):
    settings.ACUEVIDENCE_EUTILS_URL = "http://127.0.0.1:9/"
    request = ImportRequest.objects.create(kind="pmid", identifier="1", submitted_by=editor)
    import_request_process(request.pk)
    request.refresh_from_db()
    assert request.state == ImportRequest.State.FAILED
    assert "submit it again" in request.message


def test_file_types_map_to_parsers_and_unknown_ones_are_named():
    assert file_format("export.NBIB") == "medline"
    assert file_format("baseline.xml.gz") == "pubmed"
    with pytest.raises(ValueError, match=r"notes\.exe"):
        file_format("notes.exe")
