"""The import and fetch commands: progress, summary, clear errors, resumable live fetches."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from acuevidence.ingest.models import ImportBatch, Watermark
from acuevidence.research.models import Study
from tests.evidence.sources.test_live_clients import ALL_PMIDS, Fault

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def test_import_command_reports_counts_and_quarantined_records():
    out = StringIO()
    call_command(
        "import", "pubmed", str(FIXTURES / "pubmed_malformed.xml"), stdout=out, stderr=StringIO()
    )
    text = out.getvalue()
    assert "created" in text
    assert "field 'PubDate'" in text
    assert Study.objects.count() == 2


def test_an_unreadable_file_fails_with_a_clear_message(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_bytes(b"\x00\x01 not xml at all")
    with pytest.raises(CommandError, match=r"broken\.xml"):
        call_command("import", "pubmed", str(path), stdout=StringIO())


def test_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import", "pubmed", str(tmp_path / "absent.xml"), stdout=StringIO())


def test_fetch_pubmed_imports_everything_and_records_a_watermark(apis):
    _, base = apis
    call_command(
        "fetch",
        "pubmed",
        "--term",
        "acupuncture",
        "--base-url",
        base + "/entrez/eutils/",
        "--watermark",
        stdout=StringIO(),
    )
    assert set(Study.objects.values_list("pmid", flat=True)) == set(ALL_PMIDS)
    assert Watermark.objects.filter(name="pubmed term=acupuncture").exists()


def test_fetch_survives_server_errors_and_a_second_run_duplicates_nothing(apis):
    state, base = apis
    state.faults.extend([Fault(status=500), Fault(status=429, retry_after="0")])
    args = ["fetch", "pubmed", "--term", "acupuncture", "--base-url", base + "/entrez/eutils/"]
    call_command(*args, stdout=StringIO())
    call_command(*args, stdout=StringIO())
    assert Study.objects.count() == len(ALL_PMIDS)


def test_an_interrupted_fetch_resumes_from_its_checkpoint(apis):
    _, base = apis
    args = ["fetch", "pubmed", "--term", "acupuncture", "--base-url", base + "/entrez/eutils/"]
    call_command(*args, "--max", "2", stdout=StringIO())
    batch = ImportBatch.objects.get()
    batch.state = ImportBatch.State.FAILED  # as if the process had been killed mid-run
    batch.save()
    out = StringIO()
    call_command(*args, stdout=out)
    assert "Resuming import" in out.getvalue()
    assert Study.objects.count() == len(ALL_PMIDS)


def test_fetch_ctgov_follows_page_tokens(apis):
    _, base = apis
    call_command(
        "fetch",
        "ctgov",
        "--condition",
        "melanoma",
        "--base-url",
        base + "/api/v2/",
        stdout=StringIO(),
    )
    assert Study.objects.filter(registry_ids__isnull=False).count() >= 2
