"""``acuevidence backup [--output FILE]``: the database plus uploaded files in one archive."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuevidence.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (SQLite or PostgreSQL) and the uploaded files to a .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="archive to write (default: <var>/backups/acuevidence-<UTC time>.tar.gz)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or (
            Path(settings.VAR_DIR)
            / "backups"
            / f"acuevidence-{datetime.now(tz=UTC):%Y%m%dT%H%M%SZ}.tar.gz"
        )
        try:
            summary = backup_create(output=output, alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {summary.vendor}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.files} files -> {summary.path}"
        )
