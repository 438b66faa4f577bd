"""`acuevidence meta` run as the real console script on CSV files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ACUEVIDENCE = str(Path(sys.executable).with_name("acuevidence"))
REFERENCE = json.loads(
    (Path(__file__).parents[1] / "reference" / "metafor_reference.json").read_text()
)
KEYS = {
    "k",
    "measure",
    "method",
    "ci_method",
    "estimate",
    "se",
    "ci",
    "p",
    "tau2",
    "i2",
    "h2",
    "q",
    "q_df",
    "q_p",
    "pi",
    "studies",
    "egger_p",
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ACUEVIDENCE, "meta", *args], capture_output=True, text=True, timeout=60)


def write(tmp_path: Path, text: str, name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _dataset(name: str) -> dict:
    return next(d for d in REFERENCE["datasets"] if d["name"] == name)


def _fit(name: str, measure: str, method: str, test: str) -> dict:
    fits = _dataset(name)["measures"][measure]["fits"]
    return next(f for f in fits if f["method"] == method and f["test"] == test)


def _binary_csv(tmp_path: Path, name: str) -> str:
    d = _dataset(name)["data"]
    rows = ["study,events1,total1,events2,total2"] + [
        f"{s},{a},{n1},{c},{n2}"
        for s, a, n1, c, n2 in zip(d["study"], d["ai"], d["n1i"], d["ci"], d["n2i"], strict=True)
    ]
    return write(tmp_path, "\n".join(rows) + "\n")


def test_continuous_defaults_to_md_reml_wald_and_matches_metafor(tmp_path: Path) -> None:
    d = _dataset("dat.normand1999")["data"]
    rows = ["study,n1,mean1,sd1,n2,mean2,sd2"] + [
        f"{s},{a},{b},{c},{e},{f},{g}"
        for s, a, b, c, e, f, g in zip(
            d["study"], d["n1i"], d["m1i"], d["sd1i"], d["n2i"], d["m2i"], d["sd2i"], strict=True
        )
    ]
    proc = run(write(tmp_path, "\n".join(rows) + "\n"), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == KEYS
    assert (out["measure"], out["method"], out["ci_method"]) == ("MD", "REML", "wald")
    ref = _fit("dat.normand1999", "MD", "REML", "z")
    assert out["estimate"] == pytest.approx(ref["estimate"], rel=1e-6)
    assert out["ci"] == pytest.approx(ref["ci"], rel=1e-6)
    assert out["tau2"] == pytest.approx(ref["tau2"], rel=1e-6)
    assert out["i2"] == pytest.approx(ref["i2"], rel=1e-6)
    assert out["pi"] == pytest.approx(ref["pi"], rel=1e-6)
    assert [s["weight"] for s in out["studies"]] == pytest.approx(ref["weights"], rel=1e-6)
    assert out["studies"][0]["study"] == "Edinburgh"


def test_binary_defaults_to_rr_and_adds_back_transformed_values(tmp_path: Path) -> None:
    proc = run(_binary_csv(tmp_path, "dat.bcg"), "--json", "--method", "DL", "--ci", "hksj")
    out = json.loads(proc.stdout)
    assert set(out) == KEYS | {"exp"}
    ref = _fit("dat.bcg", "RR", "DL", "knha")
    assert (out["measure"], out["method"], out["ci_method"]) == ("RR", "DL", "hksj")
    assert out["estimate"] == pytest.approx(ref["estimate"], rel=1e-6)
    assert out["ci"] == pytest.approx(ref["ci"], rel=1e-6)
    assert out["exp"]["estimate"] == pytest.approx(2.718281828 ** ref["estimate"], rel=1e-6)
    assert out["exp"]["pi"][0] == pytest.approx(2.718281828 ** ref["pi"][0], rel=1e-6)


def test_dl_mh_reproduces_the_cochrane_review(tmp_path: Path) -> None:
    proc = run(_binary_csv(tmp_path, "dat.lee2004"), "--method", "DL-MH", "--json")
    exp = json.loads(proc.stdout)["exp"]
    assert [round(exp["estimate"], 2), *(round(x, 2) for x in exp["ci"])] == [0.72, 0.59, 0.89]


def test_precomputed_yi_vi_with_odds_ratio_label(tmp_path: Path) -> None:
    path = write(tmp_path, "study,yi,vi\nA,-0.5,0.04\nB,-0.2,0.09\nC,0.1,0.05\n")
    out = json.loads(run(path, "--json", "--measure", "OR", "--method", "FE").stdout)
    assert out["measure"] == "OR" and "exp" in out and out["tau2"] == 0.0
    w = [1 / 0.04, 1 / 0.09, 1 / 0.05]
    assert out["estimate"] == pytest.approx((-0.5 * w[0] - 0.2 * w[1] + 0.1 * w[2]) / sum(w))


def test_text_output_reads_like_metafor(tmp_path: Path) -> None:
    proc = run(_binary_csv(tmp_path, "dat.bcg"))
    assert proc.returncode == 0
    assert "Random-Effects Model (k = 13; tau^2 estimator: REML)" in proc.stdout
    assert "tau^2 (estimated amount of total heterogeneity): 0.3132" in proc.stdout
    assert "I^2 (total heterogeneity / total variability):   92.22%" in proc.stdout
    assert "Q(df = 12) = 152.2330, p-val < .0001" in proc.stdout
    assert "-0.7145" in proc.stdout and "0.1798" in proc.stdout


def test_plot_option_writes_a_forest_plot(tmp_path: Path) -> None:
    svg = tmp_path / "forest.svg"
    proc = run(_binary_csv(tmp_path, "dat.bcg"), "--plot", str(svg), "--json")
    assert proc.returncode == 0
    assert svg.read_text().startswith("<svg") and "Forest plot" in svg.read_text()


@pytest.mark.parametrize(
    ("csv", "args", "needles"),
    [
        ("study,n1,mean1,sd1,n2,mean2\nA,10,1,1,10,2\n", [], ["missing column 'sd2'"]),
        (
            "study,n1,mean1,sd1,n2,mean2,sd2\nA,10,1,1,10,2,1\nB,10,1,-1,10,2,1\n",
            [],
            ["row 2", "'B'", "'sd1'", "negative"],
        ),
        (
            "study,n1,mean1,sd1,n2,mean2,sd2\nA,0,1,1,10,2,1\n",
            [],
            ["row 1", "'n1'", "greater than 0"],
        ),
        (
            "study,events1,total1,events2,total2\nA,5,10,3,10\nB,12,10,3,10\n",
            [],
            ["row 2", "'events1'", "exceed"],
        ),
        ("study,events1,total1,events2,total2\n", [], ["no studies"]),
        ("study,yi,vi\nA,0.2,abc\n", [], ["row 1", "'vi'", "'abc' is not a number"]),
        (
            "study,n1,mean1,sd1,n2,mean2,sd2\nA,10,1,1,10,2,1\n",
            ["--method", "MH"],
            ["events and totals"],
        ),
        ("study,n1,mean1,sd1,n2,mean2,sd2\nA,10,1,1,10,2,1\n", ["--measure", "RR"], ["MD or SMD"]),
        ("name,value\nA,1\n", [], ["header must be"]),
    ],
    ids=[
        "missing-column",
        "negative-sd",
        "n-zero",
        "events-over-total",
        "no-rows",
        "text-in-number",
        "mh-on-continuous",
        "ratio-on-continuous",
        "unknown-header",
    ],
)
def test_bad_input_names_row_and_column_and_exits_2(
    tmp_path: Path, csv: str, args: list[str], needles: list[str]
) -> None:
    proc = run(write(tmp_path, csv), *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: data.csv")
    for needle in needles:
        assert needle in proc.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    proc = run(str(tmp_path / "nope.csv"))
    assert proc.returncode == 2 and "cannot read" in proc.stderr
