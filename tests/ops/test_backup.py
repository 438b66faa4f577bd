"""Backup and restore round trip: every table and every uploaded file come back as they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from acuevidence.ops.backup import table_row_counts

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            tables[table] = sorted(rows, key=repr)
    return tables


@pytest.fixture
def file_dirs(tmp_path: Path) -> Any:
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "images").mkdir(parents=True)
    (media / "images" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    private.mkdir()
    (private / "licence.pdf").write_bytes(b"%PDF-1.4 private licence scan")
    with override_settings(MEDIA_ROOT=media, DIRECTORY_PRIVATE_DIR=private):
        yield media, private


def test_round_trip_restores_every_table_and_file(
    published_seed_study: Any, file_dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    from acuevidence.research.models import Study

    media, private = file_dirs
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 100
    archive = tmp_path / "site.tar.gz"

    call_command("backup", output=archive)
    Study.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="after-backup")
    (media / "images" / "figure.png").unlink()
    (private / "new.pdf").write_bytes(b"%PDF added after the backup")
    assert snapshot() != before

    call_command("restore", archive, yes=True)

    after = snapshot()
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, table
    assert (media / "images" / "figure.png").read_bytes().startswith(b"\x89PNG")
    assert (private / "licence.pdf").exists() and not (private / "new.pdf").exists()


def test_restore_refuses_without_confirmation(tmp_path: Path, file_dirs: Any) -> None:
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", archive)


def test_restore_names_a_missing_archive(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such backup archive"):
        call_command("restore", tmp_path / "missing.tar.gz", yes=True)


def test_row_counts_cover_every_table() -> None:
    counts = table_row_counts()
    with connection.cursor() as cursor:
        assert set(counts) == set(connection.introspection.table_names(cursor))
