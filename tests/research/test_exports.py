"""Exports: a condition's data re-runs through ``acuevidence meta``; citations as RIS and BibTeX."""

from __future__ import annotations

import csv
import io
import json

import pytest

from acuevidence.evidence.cli import meta as meta_cli

pytestmark = pytest.mark.django_db


def test_condition_csv_is_meta_input_and_pools(client, published_seed_study, tmp_path, capsys):
    response = client.get("/exports/conditions/stroke.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["study", "n1", "mean1", "sd1", "n2", "mean2", "sd2"]
    # Intervention first, as the comparison names the arms (SEED_STUDY's numbers).
    assert rows[1] == ["Seed trial", "51", "8.86", "2.86", "51", "6.08", "3.99"]
    path = tmp_path / "stroke.csv"
    path.write_bytes(response.content)
    assert meta_cli.main([str(path), "--measure", "MD"]) == 0
    assert "2.78" in capsys.readouterr().out


def test_binary_outcomes_use_the_events_layout():
    from acuevidence.research.exports import BINARY_HEADER, MetaDataset, MetaRow, meta_csv

    dataset = MetaDataset("ponv", "PONV", "binary", (MetaRow("Dundee 1986", (3, 25, 12, 25)),))
    assert meta_csv(dataset) == ",".join(BINARY_HEADER) + "\nDundee 1986,3,25,12,25\n"


def test_csv_for_an_outcome_without_data_is_404(client, published_seed_study):
    assert client.get("/exports/conditions/stroke.csv?outcome=nothing").status_code == 404


def test_condition_json_and_ris(client, published_seed_study):
    data = json.loads(client.get("/exports/conditions/stroke.json").content)
    assert data["condition"]["slug"] == "stroke"
    assert [s["slug"] for s in data["studies"]] == [published_seed_study.slug]
    assert data["studies"][0]["comparisons"][0]["estimate"] == 2.78
    ris = client.get("/exports/conditions/stroke.ris").content.decode()
    assert ris.startswith("TY  - JOUR\n") and ris.rstrip().endswith("ER  -")


def test_study_ris_and_bibtex(client, published_seed_study):
    ris = client.get(f"/exports/studies/{published_seed_study.slug}.ris").content.decode()
    assert "AU  - Example A\nAU  - Example B\n" in ris
    assert "AN  - PMID:40048119" in ris and "PY  - 2025" in ris
    bib = client.get(f"/exports/studies/{published_seed_study.slug}.bib").content.decode()
    assert bib.startswith("@article{example2025-seed-acupotomy-stroke,")
    assert "author = {Example A and Example B}" in bib
    assert "note = {PMID: 40048119}" in bib


def test_bibtex_escapes_special_characters(published_seed_study):
    from acuevidence.research.exports import bibtex

    published_seed_study.title = "Pain & sleep: 50% {better}"
    assert "title = {{Pain \\& sleep: 50\\% better}}" in bibtex(published_seed_study, "u")


def test_unknown_format_and_draft_study_are_404(client, published_seed_study, editor):
    assert client.get(f"/exports/studies/{published_seed_study.slug}.pdf").status_code == 404
    assert client.get("/exports/conditions/stroke.xls").status_code == 404
    assert client.get("/exports/studies/nothing-here.ris").status_code == 404


def test_pages_link_their_downloads(client, published_seed_study):
    study_html = client.get(published_seed_study.get_absolute_url()).content.decode()
    assert f"/exports/studies/{published_seed_study.slug}.bib" in study_html
    hub_html = client.get("/conditions/post-stroke-hemiplegia/").content.decode()
    assert "/exports/conditions/post-stroke-hemiplegia.csv?outcome=" in hub_html
    assert "/exports/conditions/post-stroke-hemiplegia.json" in hub_html
