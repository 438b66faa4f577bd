"""``acuevidence extract FILE.txt [--json]`` through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("acuevidence") or str(Path(sys.executable).with_name("acuevidence"))
TEXT = (
    "Acupuncture for chronic neck pain: a randomized trial\n"
    "Sixty patients were randomized to acupuncture (n=30) or usual care (n=30). "
    "NRS pain at week 4 was 3.1 ± 1.2 vs 4.4 ± 1.5 (MD −1.3; 95% CI −2.0 to −0.6; P < .001).\n"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCRIPT, "extract", *args], capture_output=True, text=True, timeout=60)


def test_json_output_is_one_object_with_spans_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "abstract.txt"
    path.write_text(TEXT, encoding="utf-8")
    done = _run(str(path), "--json")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    data = json.loads(line)
    assert data["design"] == "rct"
    assert data["n_total"] == 60
    assert [(arm["therapy"], arm["n"]) for arm in data["arms"]] == [
        ("acupuncture", 30),
        ("usual-care", 30),
    ]
    text = path.read_text(encoding="utf-8")
    start, end = data["results"][0]["span"]
    assert text[start:end] == "3.1 ± 1.2"
    assert data["results"][0]["outcome"] == "nrs-pain"
    start, end = data["p_values"][0]["span"]
    assert text[start:end] == "P < .001"
    assert data["cis"][0]["lower"] == -2.0


def test_plain_output_lists_arms_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "abstract.txt"
    path.write_text(TEXT, encoding="utf-8")
    done = _run(str(path))
    assert done.returncode == 0, done.stderr
    assert "N: 60" in done.stdout
    assert "mean_sd: '3.1 ± 1.2'" in done.stdout


@pytest.mark.parametrize("content", [None, b"\xff\xfe\x00bad"])
def test_missing_or_undecodable_file_exits_2_with_a_message(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "abstract.txt"
    if content is not None:
        path.write_bytes(content)
    done = _run(str(path), "--json")
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and str(path) in done.stderr
