"""The hand-entry CSV template."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from acuevidence.evidence.records import Design, RecordError, ResultKind, Status, StudyRecord
from acuevidence.evidence.sources import SourceReadError
from acuevidence.evidence.sources.csv_template import COLUMNS, parse_csv_template, template_path


def test_template_ships_with_every_column_and_parses():
    with template_path().open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS
    (example,) = parse_csv_template(template_path())
    assert isinstance(example, StudyRecord) and len(example.results) == 4


def test_rows_group_into_studies_with_arms_and_results(fixtures: Path):
    cupping, moxa, bad = parse_csv_template(fixtures / "manual_studies.csv")
    assert isinstance(cupping, StudyRecord) and isinstance(moxa, StudyRecord)
    assert cupping.source == "manual"
    assert cupping.authors == ("Varga I", "Ito H")
    assert (cupping.design, cupping.status, cupping.enrollment) == (
        Design.RCT,
        Status.COMPLETED,
        60,
    )
    assert cupping.registry_ids == ("ChiCTR2000030009",)
    assert [(a.label, a.n) for a in cupping.arms] == [("Cupping", 30), ("Usual care", 30)]
    pain = cupping.results[0]
    assert (pain.kind, pain.arm, pain.n, pain.mean, pain.sd) == (
        ResultKind.MEAN_SD,
        "Cupping",
        29,
        3.4,
        1.9,
    )
    days_off = cupping.results[3]
    assert (days_off.kind, days_off.median, days_off.q1, days_off.q3) == (
        ResultKind.MEDIAN_IQR,
        2.0,
        0.0,
        5.0,
    )
    assert moxa.nct_id == "NCT03000017" and moxa.registry_ids == ("NCT03000017",)
    assert [(r.events, r.total) for r in moxa.results] == [(27, 50), (18, 50)]
    assert isinstance(bad, RecordError)
    assert (bad.record_id, bad.field) == ("bad-2019", "line 8 column mean")


def test_unknown_design_names_the_allowed_values(tmp_path: Path):
    path = tmp_path / "studies.csv"
    path.write_text("study_id,title,design\ns1,A study,randomised\n")
    (error,) = parse_csv_template(path)
    assert isinstance(error, RecordError) and "rct" in error.message


def test_a_csv_without_the_template_columns_is_rejected(tmp_path: Path):
    path = tmp_path / "other.csv"
    path.write_text("name,value\na,1\n")
    with pytest.raises(SourceReadError, match="not the studies template"):
        list(parse_csv_template(path))
