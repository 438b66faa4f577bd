"""Directory settings with their defaults; each can be overridden in the Django settings.

| setting | default | meaning |
| --- | --- | --- |
| ``DIRECTORY_ROSTER_MAPPINGS`` | ``rosters.json`` beside this module | per-board CSV column mapping |
| ``DIRECTORY_ROSTER_NAME_THRESHOLD`` | 85 | rapidfuzz score (0-100) for a near name match |
| ``DIRECTORY_UPLOAD_MAX_BYTES`` | 5 MiB | largest licence document accepted |
| ``DIRECTORY_PRIVATE_DIR`` | ``<VAR_DIR>/private`` | where licence documents are stored (never MEDIA_ROOT) |
| ``DIRECTORY_CONTACT_LIMIT`` | ``(5, 3600)`` | messages per client address per window (seconds) |
| ``DIRECTORY_REPORT_LIMIT`` | ``(10, 3600)`` | wrong-listing reports per client address per window |
| ``DIRECTORY_PAGE_SIZE`` | 20 | results per listing page |
| ``DIRECTORY_MAX_LOCATIONS`` | 10 | practice locations a practitioner may list themselves |
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ROSTERS_FILE = Path(__file__).with_name("rosters.json")


def roster_mappings() -> dict[str, dict[str, Any]]:
    """Board name -> column mapping (see ``rosters.json`` for the format)."""
    configured = getattr(settings, "DIRECTORY_ROSTER_MAPPINGS", None)
    if configured is not None:
        return dict(configured)
    return json.loads(ROSTERS_FILE.read_text(encoding="utf-8"))


def roster_name_threshold() -> float:
    return float(getattr(settings, "DIRECTORY_ROSTER_NAME_THRESHOLD", 85))


def upload_max_bytes() -> int:
    return int(getattr(settings, "DIRECTORY_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))


def private_dir() -> Path:
    """The private upload directory; refuses a place the web server serves publicly."""
    default = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "private"
    path = Path(getattr(settings, "DIRECTORY_PRIVATE_DIR", default)).resolve()
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        if public and path.is_relative_to(Path(public).resolve()):
            raise ImproperlyConfigured(
                f"DIRECTORY_PRIVATE_DIR ({path}) must not be inside a public directory ({public})."
            )
    return path


def contact_limit() -> tuple[int, int]:
    count, window = getattr(settings, "DIRECTORY_CONTACT_LIMIT", (5, 3600))
    return int(count), int(window)


def report_limit() -> tuple[int, int]:
    count, window = getattr(settings, "DIRECTORY_REPORT_LIMIT", (10, 3600))
    return int(count), int(window)


def page_size() -> int:
    return int(getattr(settings, "DIRECTORY_PAGE_SIZE", 20))


def max_locations() -> int:
    return int(getattr(settings, "DIRECTORY_MAX_LOCATIONS", 10))
