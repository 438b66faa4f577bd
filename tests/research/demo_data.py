"""Entries of the demo corpus (``research/demo/studies.json``), loaded through the services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEMO_STUDIES = Path(__file__).resolve().parents[2] / "src/acuevidence/research/demo/studies.json"


def demo_entries(prefix: str) -> list[dict[str, Any]]:
    entries = json.loads(DEMO_STUDIES.read_text(encoding="utf-8"))
    return [e for e in entries if e["key"].startswith(prefix)]


def load(entries: list[dict[str, Any]], *, editor: Any, publish: bool = True) -> list[Any]:
    from acuevidence.research.services import study_publish, study_save_curated

    studies = []
    for entry in entries:
        study, _ = study_save_curated(data=entry, source="review", editor=editor)
        if publish:
            study = study_publish(study=study, reviewer=editor, refresh_syntheses=False)
        studies.append(study)
    return studies
