"""`acuevidence check` run as the real console script on CSV files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ACUEVIDENCE = str(Path(sys.executable).with_name("acuevidence"))
HEADER = "study,outcome,n1,mean1,sd1,n2,mean2,sd2,estimate,ci_lower,ci_upper,p"
# ../shared/seeds/study-page.txt, both reported comparisons
SEED = (
    f"{HEADER},total,items\n"
    "Acupotomy trial,Upper limb,51,8.86,2.86,51,6.08,3.99,2.78,1.42,4.15,<0.001,102,1\n"
    "Acupotomy trial,Lower limb,51,10.35,1.80,51,6.86,3.04,3.49,2.51,4.47,<0.001,102,1\n"
)


def run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACUEVIDENCE, "check", str(path), *args], capture_output=True, text=True, timeout=60
    )


def test_seed_study_passes_every_check(tmp_path: Path) -> None:
    path = tmp_path / "seed.csv"
    path.write_text(SEED)
    proc = run(path, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [r["outcome"] for r in out["rows"]] == ["Upper limb", "Lower limb"]
    codes = {f["code"] for f in out["rows"][0]["findings"]}
    assert {"difference", "ci", "p-value", "grim", "arm-total", "significance-ci"} <= codes
    assert out["summary"]["warn"] == 0 and out["summary"]["fail"] == 0
    assert out["summary"]["ok"] == sum(len(r["findings"]) for r in out["rows"])


def test_inconsistent_row_fails_with_expected_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\nX,Pain,51,10.35,1.80,51,6.86,3.04,3.49,2.31,4.47,>0.05\n")
    proc = run(path, "--json")
    assert proc.returncode == 1
    findings = {f["code"]: f for f in json.loads(proc.stdout)["rows"][0]["findings"]}
    assert findings["ci"]["level"] == "fail"
    assert "expected 2.51 to 4.47" in findings["ci"]["message"]
    assert "reported 2.31 to 4.47" in findings["ci"]["message"]
    assert findings["p-value"]["level"] == "fail"


def test_empty_cells_skip_the_checks_that_need_them(tmp_path: Path) -> None:
    path = tmp_path / "ratio.csv"
    path.write_text(f"{HEADER},measure\nLee 2004,Nausea,,,,,,,0.72,0.59,0.89,0.002,RR\n")
    proc = run(path, "--json")
    assert proc.returncode == 0, proc.stdout
    codes = [f["code"] for f in json.loads(proc.stdout)["rows"][0]["findings"]]
    assert codes == ["p-value", "significance-ci"]


def test_text_output_lists_findings_per_row(tmp_path: Path) -> None:
    path = tmp_path / "seed.csv"
    path.write_text(SEED)
    proc = run(path)
    assert "row 1: Acupotomy trial / Upper limb" in proc.stdout
    assert "OK   grim: possible: 452/51" in proc.stdout
    assert proc.stdout.rstrip().endswith("14 ok, 0 warn, 0 fail")


def test_bad_input_names_row_and_column_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEADER}\nA,B,51,8.86,2.86,51,6.08,3.99,2.78,1.42,4.15,0.01\n"
        "C,D,51,8.86,abc,51,6.08,3.99,2.78,1.42,4.15,0.01\n"
    )
    proc = run(path)
    assert proc.returncode == 2
    assert "row 2" in proc.stderr and "'sd1'" in proc.stderr and "'abc'" in proc.stderr


def test_missing_column_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("study,outcome,n1\nA,B,10\n")
    proc = run(path)
    assert proc.returncode == 2 and "missing column 'mean1'" in proc.stderr
