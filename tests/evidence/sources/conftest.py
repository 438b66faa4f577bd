"""Shared paths for the source-parser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"


@pytest.fixture
def fixtures() -> Path:
    """The directory holding the ingestion fixtures (real structure, our own text)."""
    return FIXTURES
