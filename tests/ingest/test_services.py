"""Importing parsed records: idempotent, linked across sources, curated fields kept, nothing lost."""

from pathlib import Path

import pytest

from acuevidence.evidence.sources import parse_file
from acuevidence.ingest import services
from acuevidence.ingest.models import ImportConflict, QuarantinedRecord, SourceRecord
from acuevidence.research.models import Study

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def run_import(fmt: str, path: Path):
    batch = services.batch_start(source=fmt, origin=str(path))
    services.batch_import(parse_file(fmt, path), batch=batch)
    return services.batch_finish(batch)


def test_importing_a_file_creates_draft_studies_in_the_review_queue():
    batch = run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    assert batch.created == 3
    study = Study.objects.get(pmid="39100001")
    assert not study.live
    assert study.registry_ids == ["NCT05500001", "ChiCTR2300070001"]
    assert study.has_unpublished_changes


def test_importing_the_same_file_twice_changes_nothing():
    run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    before = {s.pk: (s.title, s.updated_at) for s in Study.objects.all()}
    batch = run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 3)
    assert {s.pk: (s.title, s.updated_at) for s in Study.objects.all()} == before


def test_malformed_records_are_quarantined_and_the_rest_import():
    batch = run_import("pubmed", FIXTURES / "pubmed_malformed.xml")
    assert batch.created == 2
    assert batch.errors == 3
    fields = sorted(QuarantinedRecord.objects.values_list("field", flat=True))
    assert fields == ["PMID", "PubDate", "xml"]
    bad_date = QuarantinedRecord.objects.get(field="PubDate")
    assert bad_date.record_id == "35000014"
    assert "2022-02-30" in bad_date.message


def test_a_registry_record_and_a_publication_naming_it_become_one_study(tmp_path):
    run_import("ctgov", FIXTURES / "ctgov_recruiting.json")
    trial = Study.objects.get()
    assert trial.status == "ongoing"
    article = (
        (FIXTURES / "pubmed_rct_structured.xml").read_text().replace("NCT05500001", "NCT06500002")
    )
    path = tmp_path / "article.xml"
    path.write_text(article)
    batch = run_import("pubmed", path)
    trial.refresh_from_db()
    assert batch.linked == 1
    assert SourceRecord.objects.filter(study=trial).count() == 2
    assert trial.status == "completed"
    assert trial.pmid == "39100001"


def test_an_editors_correction_survives_a_newer_source_version(tmp_path, editor):
    run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    study = Study.objects.get(pmid="39100001")
    study.journal = "Journal of Integrative Neurology (corrected by editor)"
    study.save()
    newer = (FIXTURES / "pubmed_rct_structured.xml").read_text()
    path = tmp_path / "newer.xml"
    original_journal = SourceRecord.objects.get(source_key="39100001").data["fields"]["journal"]
    path.write_text(newer.replace(original_journal, "J Integr Neurol Rev", 1))
    batch = run_import("pubmed", path)
    study.refresh_from_db()
    assert study.journal == "Journal of Integrative Neurology (corrected by editor)"
    conflict = ImportConflict.objects.get(study=study)
    assert (conflict.field, conflict.incoming_value) == ("journal", "J Integr Neurol Rev")
    assert batch.conflicts == 1
    assert SourceRecord.objects.get(source_key="39100001").versions.count() == 1


def test_a_published_study_changes_only_through_a_new_draft(tmp_path, editor):
    from acuevidence.research.services import study_publish

    run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    study = study_publish(study=Study.objects.get(pmid="39100001"), reviewer=editor)
    old_title = study.title
    path = tmp_path / "retitled.xml"
    xml = (FIXTURES / "pubmed_rct_structured.xml").read_text()
    path.write_text(
        xml.replace(
            "Electroacupuncture at ST36 versus sham", "Electroacupuncture at ST36 or sham", 1
        )
    )
    run_import("pubmed", path)
    study.refresh_from_db()
    assert study.title == old_title
    assert study.has_unpublished_changes
    assert study.latest_revision.content["title"].startswith("Electroacupuncture at ST36 or sham")


def test_deleted_citations_withdraw_the_study_without_deleting_it(editor):
    run_import("pubmed", FIXTURES / "medline_update_with_deletes.xml.gz")
    Study.objects.create(title="To be deleted", slug="to-be-deleted", pmid="31000201", live=True)
    batch = run_import("pubmed", FIXTURES / "medline_update_with_deletes.xml.gz")
    withdrawn = Study.objects.get(pmid="31000201")
    assert withdrawn.withdrawn
    assert batch.withdrawn == 1


def test_abstract_numbers_are_prefilled_unconfirmed_with_spans():
    run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    study = Study.objects.get(pmid="39100001")
    numbers = [*study.results.all(), *study.comparisons.all()]
    assert numbers, "the structured abstract reports numbers"
    text = study.source_text
    for item in numbers:
        assert not item.confirmed
        assert item.span_start is not None
        assert text[item.span_start : item.span_end].strip()


def test_a_title_match_in_the_same_year_links_records_without_shared_ids(tmp_path):
    run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    study = Study.objects.get(pmid="39100001")
    ris = f"TY  - JOUR\nTI  - {study.title}\nPY  - {study.year}\nAU  - Someone, A\nER  - \n"
    path = tmp_path / "one.ris"
    path.write_text(ris)
    batch = run_import("ris", path)
    assert batch.linked == 1
    assert Study.objects.count() == 3


def test_the_review_screen_marks_each_extracted_span_beside_the_field_it_filled():
    from acuevidence.research.review import marked_source

    run_import("pubmed", FIXTURES / "pubmed_rct_structured.xml")
    study = Study.objects.get(pmid="39100001")
    html = str(marked_source(study))
    first = study.results.exclude(span_start=None).first() or study.comparisons.first()
    assert "<mark title=" in html
    assert "unconfirmed" in html
    assert study.source_text[first.span_start : first.span_end].split()[0] in html
