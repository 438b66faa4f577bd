"""``acuevidence directory expire``, ``import-roster FILE.csv --board NAME`` and ``reindex``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from acuevidence.directory import conf, services
from acuevidence.directory.listing import listing_entries_rebuild
from acuevidence.directory.models import ListingEntry, Practitioner
from acuevidence.directory.roster import RosterError, mapping_for, read_roster


class DryRun(Exception):
    """Raised inside the transaction to roll a --dry-run back."""


class Command(BaseCommand):
    help = "Directory upkeep: lapse expired licences; verify licences against a board roster."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        expire = sub.add_parser(
            "expire", help="Lapse expired licences and stale verifications (run daily)."
        )
        expire.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (testing)")
        roster = sub.add_parser(
            "import-roster", help="Verify licences against a licensing board's roster CSV."
        )
        roster.add_argument("file", type=Path)
        roster.add_argument("--board", required=True, help="Board name or alias (rosters.json).")
        roster.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Name similarity (0-100) for a near match; default DIRECTORY_ROSTER_NAME_THRESHOLD.",
        )
        roster.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )
        sub.add_parser(
            "reindex",
            help="Rebuild the search's listing entries from the directory (after a bulk load).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.console = Console(file=self.stdout, width=120, soft_wrap=True)
        if options["subcommand"] == "expire":
            self._expire(options["today"])
        elif options["subcommand"] == "reindex":
            self._reindex()
        else:
            self._import_roster(options)

    def _reindex(self) -> None:
        total = Practitioner.objects.count()
        with Progress(console=self.console, transient=True) as progress:
            bar = progress.add_task("Rebuilding listing entries", total=total)
            for done in listing_entries_rebuild():
                progress.advance(bar, done)
        self.stdout.write(
            f"{ListingEntry.objects.count()} listing entries for {total} practitioner(s)."
        )

    def _expire(self, today: dt.date | None) -> None:
        lapses = services.licences_expire(today=today)
        for lapse in lapses:
            self.stdout.write(
                f"lapsed {lapse.licence.number} ({lapse.licence.board}), "
                f"{lapse.licence.practitioner.name}: {lapse.reason}"
            )
        self.stdout.write(f"{len(lapses)} licence(s) lapsed.")

    def _import_roster(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            mapping = mapping_for(options["board"], conf.roster_mappings())
            threshold = options["threshold"]
            if threshold is None:
                threshold = conf.roster_name_threshold()
            with path.open(encoding="utf-8-sig", newline="") as lines, transaction.atomic():
                outcomes = services.roster_import(
                    mapping=mapping,
                    rows=read_roster(lines, mapping),
                    source=f"{path.name} imported {dt.date.today():%Y-%m-%d}",
                    threshold=threshold,
                )
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            pass
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        except RosterError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        self._report(mapping.board, outcomes, dry_run=options["dry_run"])

    def _report(self, board: str, outcomes: list[services.RosterOutcome], *, dry_run: bool) -> None:
        table = Table(
            title=f"Roster import: {board}" + (" (dry run, nothing saved)" if dry_run else "")
        )
        for column in ("line", "outcome", "licence", "name", "detail"):
            table.add_column(column)
        for o in outcomes:
            table.add_row(
                "" if o.line is None else str(o.line), o.outcome, o.number, o.name, o.detail
            )
        self.console.print(table)
        counts = Counter(o.outcome for o in outcomes)
        self.stdout.write("; ".join(f"{name}: {n}" for name, n in sorted(counts.items())))
