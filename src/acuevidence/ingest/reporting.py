"""Progress bar and summary for import commands (rich), shared by ``import`` and ``fetch``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from acuevidence.ingest.models import ImportBatch
from acuevidence.ingest.services import ProgressCallback


@contextmanager
def import_progress(label: str, *, total: int | None, stream: TextIO) -> Iterator[ProgressCallback]:
    """A progress bar showing records, rate and errors; yields the callback for batch_import."""
    console = Console(file=stream, stderr=False)
    columns = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} records"),
        TextColumn("{task.fields[rate]:.0f}/s"),
        TextColumn("{task.fields[errors]} errors"),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(label, total=total, rate=0.0, errors=0)

        def update(batch: ImportBatch) -> None:
            elapsed = progress.tasks[task].elapsed or 1e-9
            progress.update(
                task, completed=batch.processed, rate=batch.processed / elapsed, errors=batch.errors
            )

        yield update


def print_summary(batch: ImportBatch, *, stream: TextIO) -> None:
    """The end-of-import report: counts, then each quarantined record with its reason."""
    console = Console(file=stream, width=120)
    table = Table(title=f"Import #{batch.pk}: {batch.origin}")
    for column in ("created", "updated", "unchanged", "linked", "withdrawn", "conflicts", "errors"):
        table.add_column(column, justify="right")
    table.add_row(
        *(
            str(getattr(batch, name))
            for name in (
                "created",
                "updated",
                "unchanged",
                "linked",
                "withdrawn",
                "conflicts",
                "errors",
            )
        )
    )
    console.print(table)
    for item in batch.quarantine.all()[:50]:
        console.print(
            f"[red]error[/red] {item.file}, record {item.record_number}"
            f"{f' ({item.record_id})' if item.record_id else ''}, field {item.field!r}: {item.message}"
        )
    if batch.errors > 50:
        console.print(f"... and {batch.errors - 50} more; see the admin's import report.")
    if batch.created or batch.updated:
        console.print(
            "New and changed studies are drafts in the review queue (admin: Research › Studies)."
        )
