"""scripts/audit.sh: fails on a vulnerable locked package, and says so when it could not audit.

pip-audit itself needs the network; here a stand-in writes the JSON report pip-audit
would write, so the script's reading of it is tested offline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_audit(
    tmp_path: Path, report: dict[str, Any] | None, **env: str
) -> subprocess.CompletedProcess[str]:
    stand_in = tmp_path / "pip-audit"
    payload = "" if report is None else json.dumps(report)
    stand_in.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "args = sys.argv[1:]\n"
        f"payload = {payload!r}\n"
        "if payload:\n"
        "    open(args[args.index('--output') + 1], 'w').write(payload)\n"
        "else:\n"
        "    sys.exit('ConnectionError: no route to host')\n"
    )
    stand_in.chmod(0o755)
    return subprocess.run(
        ["bash", "scripts/audit.sh"],
        cwd=REPO,
        env={**os.environ, "PIP_AUDIT": str(stand_in), "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_vulnerable_package_fails_with_its_advisory(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [
                {"id": "GHSA-xxxx-yyyy", "fix_versions": ["5.2.1"]}]},
            {"name": "numpy", "version": "2.0.0", "vulns": []},
        ]
    }  # fmt: skip
    done = run_audit(tmp_path, report)
    assert done.returncode == 1
    assert "django==5.2.0: GHSA-xxxx-yyyy (fixed in: 5.2.1)" in done.stdout


def test_a_clean_lock_passes(tmp_path: Path) -> None:
    report = {"dependencies": [{"name": "numpy", "version": "2.0.0", "vulns": []}]}
    done = run_audit(tmp_path, report)
    assert done.returncode == 0
    assert "no known vulnerabilities in the 1 packages" in done.stdout


@pytest.mark.parametrize(
    "report",
    [None, {"dependencies": [{"name": "numpy", "version": "2.0.0", "skip_reason": "not found"}]}],
    ids=["service-unreachable", "nothing-audited"],
)
def test_an_audit_that_could_not_run_says_so(tmp_path: Path, report: Any) -> None:
    done = run_audit(tmp_path, report)
    assert done.returncode == 0
    assert "SKIPPED, no vulnerability service reachable" in done.stdout
    strict = run_audit(tmp_path, report, ACUEVIDENCE_AUDIT_STRICT="1")
    assert strict.returncode == 2
