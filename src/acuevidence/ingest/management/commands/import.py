"""``acuevidence import FORMAT FILE...``: import files into the review queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuevidence.evidence.sources import FORMATS, SourceReadError, parse_file
from acuevidence.ingest import services
from acuevidence.ingest.reporting import import_progress, print_summary


class Command(BaseCommand):
    help = (
        "Import PubMed XML, MEDLINE (.xml.gz or .nbib), RIS, ClinicalTrials.gov JSON or CSV files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=FORMATS)
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file. Check the path and try again.")
            batch = services.batch_start(source=options["format"], origin=str(path))
            try:
                with import_progress(path.name, total=None, stream=self.stdout) as progress:
                    services.batch_import(
                        parse_file(options["format"], path), batch=batch, progress=progress
                    )
            except SourceReadError as exc:
                services.batch_finish(batch, failed=str(exc))
                raise CommandError(f"{exc}\nIs it really a {options['format']} file?") from exc
            services.batch_finish(batch)
            print_summary(batch, stream=self.stdout)
            failed = failed or batch.errors > 0
        if failed:
            self.stderr.write("Some records were quarantined; the rest were imported.")
