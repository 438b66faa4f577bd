"""``acuevidence restore ARCHIVE --yes``: replace the database and uploaded files from a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuevidence.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `acuevidence backup`; everything stored now is replaced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument("--yes", action="store_true", help="confirm replacing the current data")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "restore replaces the whole database and the uploaded files; "
                "add --yes to confirm (stop the app servers and workers first)"
            )
        try:
            summary = backup_restore(archive_path=options["archive"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary.vendor}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.files} files from {summary.path}"
        )
