"""Backups of the whole site: the database plus uploaded files, in one archive.

An archive is a gzipped tar holding ``manifest.json`` (what, when, from which database
vendor, rows per table), the database (``database.sqlite3`` made with SQLite's online
backup API, or ``database.pgdump`` in pg_dump's custom format) and ``files/<name>/...``
for each file directory (public media and the private licence documents).

Restoring replaces the database's contents and the file directories with the archive's.
PostgreSQL needs ``pg_dump``/``pg_restore`` (Debian's ``postgresql-client``) of the
server's major version or newer.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in words."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    vendor: str
    tables: int
    rows: int
    files: int


def file_directories() -> dict[str, Path]:
    """The directories of uploaded files, by the name they have inside an archive."""
    from acuevidence.directory.conf import private_dir

    return {"media": Path(settings.MEDIA_ROOT), "private": private_dir()}


def table_row_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _postgres_env(db: Mapping[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(name):
            env[key] = str(db[name])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} not found: install PostgreSQL's client tools (postgresql-client)"
        )
    return found


def _run(command: list[str], env: Mapping[str, str]) -> None:
    done = subprocess.run(command, env=dict(env), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(alias: str, target_dir: Path) -> str:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(target_dir / "database.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             f"--file={target_dir / 'database.pgdump'}"],
            _postgres_env(connection.settings_dict),
        )  # fmt: skip
        return "database.pgdump"
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def backup_create(*, output: Path, alias: str = "default") -> BackupSummary:
    """Write a backup archive of database ``alias`` and the file directories to ``output``."""
    connection = connections[alias]
    counts = table_row_counts(alias)
    with tempfile.TemporaryDirectory(prefix="acuevidence-backup-") as tmp:
        work = Path(tmp)
        database_file = _dump_database(alias, work)
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(tz=UTC).isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "database_file": database_file,
            "tables": counts,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        output.parent.mkdir(parents=True, exist_ok=True)
        files = 0
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(work / database_file, arcname=database_file)
            for name, directory in file_directories().items():
                if directory.is_dir():
                    archive.add(directory, arcname=f"files/{name}")
                    files += sum(1 for p in directory.rglob("*") if p.is_file())
        partial.replace(output)  # a crash mid-write never leaves a truncated archive behind
    return BackupSummary(
        path=output, vendor=connection.vendor, tables=len(counts), rows=sum(counts.values()),
        files=files,
    )  # fmt: skip


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe entry in archive: {member.name}")
    return members


def _restore_database(alias: str, manifest: Mapping[str, Any], source: Path) -> None:
    connection = connections[alias]
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"the archive holds a {manifest['vendor']} database; this site uses {connection.vendor}"
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
        return
    connection.close()
    _run(
        [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error",
         f"--dbname={connection.settings_dict['NAME']}", str(source)],
        _postgres_env(connection.settings_dict),
    )  # fmt: skip


def backup_restore(*, archive_path: Path, alias: str = "default") -> BackupSummary:
    """Replace database ``alias`` and the file directories with the archive's contents."""
    if not archive_path.is_file():
        raise BackupError(f"{archive_path}: no such backup archive")
    with tempfile.TemporaryDirectory(prefix="acuevidence-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, members=_safe_members(archive), filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"{archive_path}: unknown archive format {manifest.get('format')}")
        _restore_database(alias, manifest, work / manifest["database_file"])
        files = 0
        for name, directory in file_directories().items():
            source = work / "files" / name
            if directory.exists():
                shutil.rmtree(directory)
            if source.is_dir():
                shutil.copytree(source, directory)
                files += sum(1 for p in directory.rglob("*") if p.is_file())
    counts = manifest["tables"]
    return BackupSummary(
        path=archive_path, vendor=manifest["vendor"], tables=len(counts),
        rows=sum(counts.values()), files=files,
    )  # fmt: skip
